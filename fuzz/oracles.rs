//! What must hold for any input to saymon's parsers of what a server or a file sends, and
//! of what its redaction shows. The fuzz targets (`fuzz_targets/`, nightly) call these on
//! generated inputs; `tests/cli/fuzz_seeds.rs` (stable, in `cargo test`) calls them on every
//! committed seed in `fuzz/regressions/<target>/`, so a crash once found stays fixed.
//! Oracles, not just "no panic": no unsafe character survives redaction, no token value
//! survives `redact::url`, `resolve` never leaves the server's origin.

#![allow(dead_code)]

use saymon::parsers::ServerUrl;
use saymon::parsers::redact;
use saymon::parsers::{MAX_TOKEN_LEN, check_token};
use saymon::parsers::{parse_error_body, parse_token, parse_user};
use serde_json::Value;

/// A check that must hold for any input.
pub type Oracle = fn(&[u8]);

/// The fuzz targets, by name, for the seed replay.
pub const TARGETS: &[(&str, Oracle)] = &[
    ("token", token),
    ("user", user),
    ("error_body", error_body),
    ("redact", redact_text),
    ("server_url", server_url),
    ("config_files", config_files),
    ("cli_values", cli_values),
    ("certificate", certificate),
    ("jq", jq),
    ("jq_write", jq_write),
    ("mask", mask),
];

/// No character that could drive a terminal (but newline and tab where `lines`).
fn assert_inert(text: &str, lines: bool) {
    for c in text.chars() {
        let allowed = lines && (c == '\n' || c == '\t');
        assert!(allowed || !redact::is_unsafe(c), "unsafe {c:?} in {text:?}");
    }
}

/// `parse_token`: a token accepted is one `check_token` accepts (printable ASCII, no
/// character that breaks a URL or a shell word, not too long); an error is inert and never
/// quotes the string the server sent.
pub fn token(data: &[u8]) {
    match parse_token(data) {
        Ok(token) => {
            let t = token.expose();
            assert!(check_token(t).is_ok());
            assert!(!t.is_empty() && t.len() <= MAX_TOKEN_LEN);
            assert!(t.bytes().all(|b| b.is_ascii_graphic()), "{t:?}");
            for bad in ['"', '\'', '\\', '&', '=', '#', '%', '+', '?', ';'] {
                assert!(!t.contains(bad), "{t:?}");
            }
        }
        Err(err) => {
            let message = format!("{err:#}");
            assert_inert(&message, false);
            if let Ok(Value::String(sent)) = serde_json::from_slice::<Value>(data)
                && sent.len() >= 12
            {
                assert!(!message.contains(&sent), "the error quotes the token");
            }
        }
    }
}

/// `parse_user`: accepted only with string `id` and `login`; errors are inert.
pub fn user(data: &[u8]) {
    match parse_user(data) {
        Ok(user) => {
            assert!(user["id"].is_string() && user["login"].is_string());
        }
        Err(err) => assert_inert(&format!("{err:#}"), false),
    }
}

/// `parse_error_body` (with `describe_body` and `html_title` behind it): whatever the
/// status, content type and body, the one-line summary is inert and short.
pub fn error_body(data: &[u8]) {
    let (head, body) = data.split_at(data.len().min(2));
    let status = 400 + u16::from(*head.first().unwrap_or(&0)) % 200;
    let content_type = match head.get(1).copied().unwrap_or(0) % 4 {
        0 => "application/json",
        1 => "text/html; charset=utf-8",
        2 => "text/plain",
        _ => "",
    };
    let status = reqwest::StatusCode::from_u16(status).unwrap();
    let err = parse_error_body(status, content_type, body);
    let summary = err.summary();
    assert_inert(&summary, false);
    assert!(!summary.contains('\n'));
    assert!(
        summary.chars().count() < 400,
        "{} characters",
        summary.chars().count()
    );
}

/// The redaction functions: `terminal`, `server_text`, `json`, `token_params`, `url`.
pub fn redact_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    assert_inert(&redact::terminal(&text), true);
    let line = redact::server_text(&text, 80);
    assert_inert(&line, false);
    assert!(!line.contains('\n') && line.chars().count() <= 81);

    // JSON stays the same value, with nothing unsafe left raw.
    let value = Value::String(text.to_string());
    let shown = redact::json(&serde_json::to_string(&value).unwrap());
    assert_inert(&shown, false);
    assert_eq!(serde_json::from_str::<Value>(&shown).unwrap(), value);

    // Every api-token= in free text is followed by *** and nothing of the value.
    let masked = redact::token_params(&text);
    for (i, _) in masked.match_indices("api-token=") {
        assert!(
            masked[i + "api-token=".len()..].starts_with("***"),
            "{masked:?}"
        );
    }
    let value: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    // (A value that is part of the text around it, like `i-token`, proves nothing.)
    if value.len() >= 6
        && !"see /x?api-token=&b=1 and 'api-token=***' https://h/node/api/x".contains(&value)
    {
        let free = format!("see /x?api-token={value}&b=1 and 'api-token={value}'");
        assert!(!redact::token_params(&free).contains(&value));
        // In a URL, whatever else the query holds.
        let query: String = text.chars().filter(|c| !c.is_control()).take(60).collect();
        let without = format!("https://u:p@h/node/api/x?{query}");
        let raw = format!("{without}&api-token={value}");
        if let (Ok(url), Ok(base)) = (reqwest::Url::parse(&raw), reqwest::Url::parse(&without)) {
            let shown = redact::url(&url);
            // The value may be elsewhere in the query too; it must not show up once more.
            let baseline = redact::url(&base);
            assert!(
                shown.matches(value.as_str()).count() <= baseline.matches(value.as_str()).count(),
                "{shown}"
            );
            let reparsed = reqwest::Url::parse(&shown).unwrap();
            assert!(
                reparsed
                    .query_pairs()
                    .filter(|(k, _)| k == "api-token")
                    .all(|(_, v)| v == "***"),
                "{shown}"
            );
            assert!(!shown.contains("u:p@"));
        }
    }
}

/// `ServerUrl::parse`, `api_url`, `resolve`: every URL built for a server is on its origin,
/// under its root; whatever `resolve` accepts is on the origin too.
pub fn server_url(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (server, path) = text.split_once('\n').unwrap_or((&text, "objects"));
    let Ok(server) = ServerUrl::parse(server) else {
        return;
    };
    let shown = server.to_string();
    assert_inert(&shown, false);
    let root = reqwest::Url::parse(&shown).expect("a server shows as a URL");
    assert!(server.same_origin(&root));
    let segments: Vec<&str> = path.split('/').collect();
    let api = server.api_url(&segments);
    assert!(server.same_origin(&api), "{api}");
    assert!(api.path().contains("/node/api/"), "{api}");
    assert_eq!(
        api.query(),
        None,
        "segments are encoded, not a query: {api}"
    );
    if let Ok(url) = server.resolve(path) {
        assert!(server.same_origin(&url), "{path:?} left {shown} for {url}");
    }
}

/// `config::parse` and the credentials file's parser: no panic; a config that parses
/// survives a write and a read unchanged.
pub fn config_files(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(config) = saymon::parsers::parse_config(&text) {
        let written = toml::to_string_pretty(&config).unwrap();
        assert_eq!(saymon::parsers::parse_config(&written).unwrap(), config);
    }
    let _ = saymon::parsers::parse_credentials(&text);
}

/// What the command line feeds `api` and `token create`: `typed_value` (not `@FILE`),
/// `split_field`, `parse_headers`, `check_user_id` (only what fits in a URL segment).
pub fn cli_values(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if !text.starts_with('@') {
        let value = saymon::parsers::typed_value(&text).unwrap();
        if let Value::String(s) = &value {
            assert_eq!(s, &text, "a string stays the text given");
        }
    }
    if let Ok((key, _)) = saymon::parsers::split_field(&text) {
        assert!(!key.is_empty());
    }
    match saymon::parsers::parse_headers(&[text.to_string()]) {
        Ok(headers) => assert_eq!(headers.len(), 1),
        Err(err) => assert_inert(&format!("{err:#}"), false),
    }
    match saymon::parsers::check_user_id(&text) {
        Ok(id) => {
            assert!(!id.is_empty() && id.len() <= 64);
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            );
        }
        Err(err) => assert_inert(&format!("{err:#}"), false),
    }
}

/// A server's certificate as `doctor` and the TLS errors tell it: any DER parses or is
/// `None`, never panics, and every text shown is inert and short.
pub fn certificate(data: &[u8]) {
    use saymon::parsers::{date, describe};
    let Some(c) = describe(data) else { return };
    for text in [&c.subject, &c.issuer, &c.names_listed()] {
        assert_inert(text, false);
    }
    assert!(c.subject.chars().count() <= 130 && c.issuer.chars().count() <= 130);
    assert!(c.names.len() <= 21);
    for name in &c.names {
        assert_inert(name, false);
    }
    // Any date a certificate can hold is shown without overflow.
    let _ = (
        date(c.not_before),
        date(c.not_after),
        c.days_left(i64::MAX),
        c.days_left(i64::MIN),
    );
}

/// `--jq`: any expression compiles or is a usage error, and any answer (the part after the
/// first NUL byte) is filtered or refused, never a panic.
pub fn jq(data: &[u8]) {
    use saymon::parsers::Jq;
    let (expr, input) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b".[]? | .. | strings"[..], data),
    };
    let Ok(expr) = std::str::from_utf8(expr) else {
        return;
    };
    // Runaway programs (`repeat(.)`) are the user's to write; only short ones are run.
    let Ok(filter) = Jq::compile(expr) else {
        return;
    };
    if expr.len() > 40
        || expr.contains("repeat")
        || expr.contains("recurse")
        || expr.contains("range")
        || expr.contains("limit")
        || expr.contains("until")
        || expr.contains("while")
        || expr.contains("def")
    {
        return;
    }
    // With --output json every line printed is JSON (jq_write checks the writer alone).
    let mut out = Vec::new();
    if filter.run(input, true, &mut out).is_ok() {
        for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            serde_json::from_slice::<Value>(line).expect("--jq printed what is not JSON");
        }
    }
    let mut out = Vec::new();
    let _ = filter.run(input, false, &mut out);
}

/// The `--jq` writer and depth check: any JSON text jq's parser takes is written as JSON
/// that serde_json reads back (numbers, keys, nesting), or refused; never a panic.
pub fn jq_write(data: &[u8]) {
    use saymon::parsers::Jq;
    let Ok(filter) = Jq::compile(".") else {
        return;
    };
    let mut out = Vec::new();
    if filter.run(data, true, &mut out).is_ok() {
        for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            serde_json::from_slice::<Value>(line).expect("the --jq writer wrote what is not JSON");
        }
    }
}

/// `mask::Masker` (exec's output), with two secrets, one inside the other (a remembered
/// password that is part of the token): the first byte gives the outer secret's length (1
/// to 16), the second where the inner one lies in it (low 4 bits: its start, high 4: its
/// length), the outer secret follows, the rest is the stream. Fed in pieces of any size,
/// the output is what masking the whole at once gives, and what the plain leftmost-longest
/// replacement gives; and no secret survives it (unless one is made of `*`, which the mask
/// itself can form).
pub fn mask(data: &[u8]) {
    use saymon::parsers::{MASK, Masker};
    let [first, place, rest @ ..] = data else {
        return;
    };
    let len = usize::from(first % 16) + 1;
    if rest.len() < len {
        return;
    }
    let (outer, stream) = rest.split_at(len);
    let start = usize::from(place & 0x0f) % len;
    let inner = &outer[start..][..usize::from(place >> 4) % (len - start) + 1];
    let run = |pieces: &mut dyn Iterator<Item = &[u8]>| {
        let mut masker = Masker::new([inner, outer]);
        let mut out = Vec::new();
        for piece in pieces {
            masker.feed(piece, &mut out);
        }
        masker.finish(&mut out);
        out
    };
    let whole = run(&mut std::iter::once(stream));
    let sizes: Vec<usize> = outer.iter().map(|b| usize::from(b % 7) + 1).collect();
    let pieces = pieces_of(stream, &sizes);
    assert_eq!(run(&mut pieces.iter().copied()), whole, "split differently");
    // Leftmost-longest replacement, and what is left at the end that could still begin a
    // secret (a proper prefix of one) is one mask too: it may be a secret cut short.
    let mut plain = Vec::new();
    let mut i = 0;
    while i < stream.len() {
        if [outer, inner]
            .into_iter()
            .any(|s| stream.len() - i < s.len() && s.starts_with(&stream[i..]))
        {
            plain.extend_from_slice(MASK);
            break;
        }
        if let Some(secret) = [outer, inner]
            .into_iter()
            .find(|s| stream[i..].starts_with(s))
        {
            plain.extend_from_slice(MASK);
            i += secret.len();
        } else {
            plain.push(stream[i]);
            i += 1;
        }
    }
    assert_eq!(whole, plain, "not the leftmost-longest replacement");
    for secret in [outer, inner] {
        if !secret.contains(&b'*') {
            assert!(
                !whole.windows(secret.len()).any(|w| w == secret),
                "a secret survived"
            );
        }
    }
    lagging(outer, inner, stream, &pieces);
    params(stream, &pieces);
}

/// `stream` cut in pieces of `sizes`, over and over.
fn pieces_of<'s>(stream: &'s [u8], sizes: &[usize]) -> Vec<&'s [u8]> {
    let mut at = 0;
    let mut pieces = Vec::new();
    for size in sizes.iter().cycle() {
        if at >= stream.len() {
            break;
        }
        let end = (at + size).min(stream.len());
        pieces.push(&stream[at..end]);
        at = end;
    }
    pieces
}

/// The proxy's masking (`feed_lagging`, `finish_whole`): the same output however the
/// stream is split, only whole secrets masked (leftmost, longest), and where each piece's
/// output ends depends on lengths alone: with no secret in the stream, all but the
/// longest secret's length less one.
fn lagging(outer: &[u8], inner: &[u8], stream: &[u8], pieces: &[&[u8]]) {
    use saymon::parsers::{MASK, Masker};
    let lag = outer.len().max(inner.len()) - 1;
    let run = |pieces: &[&[u8]]| {
        let mut masker = Masker::new([inner, outer]);
        let mut out = Vec::new();
        let mut ends = Vec::new();
        let mut fed = 0;
        for piece in pieces {
            masker.feed_lagging(piece, &mut out);
            fed += piece.len();
            ends.push((fed, out.len()));
        }
        masker.finish_whole(&mut out);
        (out, ends)
    };
    let (whole, _) = run(&[stream]);
    let (split, ends) = run(pieces);
    assert_eq!(split, whole, "lagging: split differently");
    let mut plain = Vec::new();
    let mut i = 0;
    while i < stream.len() {
        match [outer, inner]
            .into_iter()
            .find(|s| stream[i..].starts_with(s))
        {
            Some(secret) => {
                plain.extend_from_slice(MASK);
                i += secret.len();
            }
            None => {
                plain.push(stream[i]);
                i += 1;
            }
        }
    }
    assert_eq!(
        whole, plain,
        "lagging: not the leftmost-longest whole replacement"
    );
    // With no secret in the stream (a secret found may move an end: a whole match is
    // what the mask shows anyway).
    let no_secret = [outer, inner]
        .iter()
        .all(|secret| !stream.windows(secret.len()).any(|w| w == *secret));
    if no_secret {
        for (fed, emitted) in ends {
            assert_eq!(
                emitted,
                fed.saturating_sub(lag),
                "lagging: an end told something"
            );
        }
    }
}

/// `ParamMasker`: the same output however the stream is split, and after every
/// `api-token` in it and what may join it to a value, `***` or the end.
fn params(stream: &[u8], pieces: &[&[u8]]) {
    use saymon::parsers::ParamMasker;
    let run = |pieces: &[&[u8]]| {
        let mut params = ParamMasker::default();
        let mut out = Vec::new();
        for piece in pieces {
            params.feed(piece, &mut out);
        }
        params.finish(&mut out);
        out
    };
    let whole = run(&[stream]);
    assert_eq!(run(pieces), whole, "params: split differently");
    let name = b"api-token";
    let joints: [&[u8]; 11] = [
        b"=", b"%3d", b"\\u003d", b"&#61;", b"\"", b"'", b":", b" ", b"\t", b"[", b",",
    ];
    for (at, window) in whole.windows(name.len()).enumerate() {
        if window.eq_ignore_ascii_case(name) {
            let mut after = &whole[at + name.len()..];
            while let Some(joint) = joints
                .iter()
                .find(|j| after.len() >= j.len() && after[..j.len()].eq_ignore_ascii_case(j))
            {
                after = &after[joint.len()..];
            }
            let shown = after.is_empty()
                || after.starts_with(b"***")
                || joints.iter().any(|j| {
                    j.starts_with(&after[..after.len().min(j.len())]) && after.len() < j.len()
                });
            assert!(shown, "params: a value survived");
        }
    }
}
