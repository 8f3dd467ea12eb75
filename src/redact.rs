//! The one way a URL or server text is shown: secrets masked, control characters escaped.

use reqwest::Url;

/// The URL with the value of `api-token` replaced by `***` and any user info removed.
pub fn url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    if shown.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "api-token" {
                    "***".to_string()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        shown.query_pairs_mut().clear().extend_pairs(pairs);
    }
    // A token in the fragment (never sent, but shown) is masked as in free text; only
    // there, so that a host or path that merely contains `api-token=` stays as it is.
    if let Some(fragment) = shown.fragment().map(token_params) {
        shown.set_fragment(Some(&fragment));
    }
    // `***` is percent-encoded by the serializer; show it plainly.
    shown.as_str().replace("%2A%2A%2A", "***")
}

/// Any `api-token=VALUE` inside free text (a header, a message) with VALUE masked.
pub fn token_params(text: &str) -> String {
    const KEY: &str = "api-token=";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(KEY) {
        out.push_str(&rest[..i + KEY.len()]);
        out.push_str("***");
        rest = &rest[i + KEY.len()..];
        let end = rest
            .find(|c: char| c == '&' || c == '#' || c == '"' || c == '\'' || c.is_whitespace())
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Characters that must not reach a terminal as they are: control characters (C0, DEL,
/// C1: escape sequences start with ESC or CSI) and the invisible format characters that
/// reorder or hide text (bidi controls, zero-width characters, the soft hyphen, BOM).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}')
}

/// The tokens this run holds (registered by `token::accept_token`, which every token
/// passes), that no line on stderr may show: a server that echoes a request back in its
/// error, or in a header `-v` logs, would otherwise print it.
static NEVER_ON_STDERR: std::sync::Mutex<Vec<zeroize::Zeroizing<String>>> =
    std::sync::Mutex::new(Vec::new());

/// Tokens shorter than this are not masked on stderr: a test's `SAYMON_TOKEN=t` would
/// turn every `t` into `***`. SAYMON's own are UUIDs (36 characters).
const MASKED_FROM: usize = 8;

/// Register `token` as one no stderr line may show (`for_stderr`).
pub(crate) fn never_on_stderr(token: &str) {
    let mut tokens = NEVER_ON_STDERR.lock().unwrap_or_else(|e| e.into_inner());
    if token.len() >= MASKED_FROM && !tokens.iter().any(|t| t.as_str() == token) {
        tokens.push(zeroize::Zeroizing::new(token.to_string()));
    }
}

/// `text` for stderr: every registered token, and the value of any `api-token=` in it,
/// shown as `***`.
pub(crate) fn for_stderr(text: &str) -> String {
    let mut text = token_params(text);
    let tokens = NEVER_ON_STDERR.lock().unwrap_or_else(|e| e.into_inner());
    for token in tokens.iter() {
        if text.contains(token.as_str()) {
            text = text.replace(token.as_str(), "***");
        }
    }
    text
}

/// Text for a terminal, the one filter every line saymon writes for a person passes
/// through (`Output` and the error report): each unsafe character but newline and tab
/// shown as `\u{..}`, so text from a server or a certificate cannot move the cursor,
/// change colours or the window title, or hide what it says.
pub fn terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) && c != '\n' && c != '\t' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// A name or value for one line, a table cell or a row: every unsafe character escaped,
/// newline and tab too (a profile name with a newline must not forge a row).
pub(crate) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// JSON text with every unsafe character escaped as `\uXXXX`. serde_json escapes only
/// C0 controls; DEL, C1 controls and bidi characters pass through it raw. Outside strings
/// JSON text has none of them, so escaping them everywhere keeps the JSON valid and equal.
pub fn json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) && !c.is_ascii_whitespace() {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Text from a server, fit for one line on a terminal: unsafe characters escaped,
/// white space folded, cut to `max` characters as shown (an escape counts for its length,
/// so text made of escapes cannot grow the line), with `…` where it was cut.
pub fn server_text(text: &str, max: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    let mut shown = 0;
    for c in folded.chars() {
        let piece: String = if is_unsafe(c) {
            c.escape_unicode().collect()
        } else {
            c.to_string()
        };
        let len = piece.chars().count();
        if shown + len > max {
            out.push('…');
            break;
        }
        out.push_str(&piece);
        shown += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_token_and_userinfo() {
        let u = Url::parse("https://bob:pw@h:8443/node/api/x?fields=id&api-token=abc-123").unwrap();
        assert_eq!(url(&u), "https://h:8443/node/api/x?fields=id&api-token=***");
        let plain = Url::parse("https://h/node/api/x").unwrap();
        assert_eq!(url(&plain), "https://h/node/api/x");
        let in_fragment = Url::parse("https://h/x?a=1#api-token=sekrit&b").unwrap();
        assert_eq!(url(&in_fragment), "https://h/x?a=1#api-token=***&b");
        // Found by the server_url fuzzer: a host that contains the name is left alone.
        let odd_host = Url::parse("https://hapi-token=z/x").unwrap();
        assert_eq!(url(&odd_host), "https://hapi-token=z/x");
        let only_user = Url::parse("https://bob@h/x?api-token=t&b=%2A").unwrap();
        assert_eq!(url(&only_user), "https://h/x?api-token=***&b=*");
    }

    #[test]
    fn token_params_in_text() {
        assert_eq!(
            token_params("/x?api-token=abc&b=1 and api-token=def"),
            "/x?api-token=***&b=1 and api-token=***"
        );
        assert_eq!(token_params("nothing here"), "nothing here");
        // What ends a value: &, #, quotes, white space; the rest is kept as it was.
        assert_eq!(
            token_params("?api-token=a#frag 'api-token=b' \"api-token=c\"\tapi-token=d\nx"),
            "?api-token=***#frag 'api-token=***' \"api-token=***\"\tapi-token=***\nx"
        );
        assert_eq!(token_params("api-token="), "api-token=***");
    }

    #[test]
    fn server_text_is_one_safe_line() {
        assert_eq!(server_text("a\n  b\x1b[31m", 100), "a b\\u{1b}[31m");
        assert_eq!(server_text("abcdef", 3), "abc…");
        assert_eq!(
            server_text("x\u{9b}2Jy\u{202e}z", 100),
            "x\\u{9b}2Jy\\u{202e}z"
        );
    }

    #[test]
    fn terminal_text_keeps_lines_and_escapes_the_rest() {
        let hostile = "ok\n\tcol\x1b]0;owned\x07\u{9b}31m\u{7f}\u{200b}\u{2066}é";
        let shown = terminal(hostile);
        assert_eq!(
            shown,
            "ok\n\tcol\\u{1b}]0;owned\\u{7}\\u{9b}31m\\u{7f}\\u{200b}\\u{2066}é"
        );
        assert!(
            !shown
                .chars()
                .any(|c| is_unsafe(c) && c != '\n' && c != '\t')
        );
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw() {
        let value = serde_json::json!({"login": "a\u{9b}b\u{7f}c\u{202e}d\u{1F600}", "n": 1});
        let text = json(&serde_json::to_string(&value).unwrap());
        assert_eq!(
            text,
            "{\"login\":\"a\\u009bb\\u007fc\\u202ed\u{1F600}\",\"n\":1}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value, "the same JSON value");
    }

    #[test]
    fn a_token_in_use_never_reaches_stderr_a_short_one_is_left() {
        never_on_stderr("5e21b752-308c-4c66-964e-072c0a5e2b75");
        never_on_stderr("t");
        assert_eq!(
            for_stderr("bad token 5e21b752-308c-4c66-964e-072c0a5e2b75 at ?api-token=old&x=1"),
            "bad token *** at ?api-token=***&x=1"
        );
        assert_eq!(for_stderr("the text"), "the text");
    }
}
