//! What a SAYMON server answers, parsed and checked: a token, a user, an error body. Each
//! parser takes the bytes as they came (capped at `MAX_ANSWER` by the client), never
//! trusts them, and never quotes a secret or a page of HTML in its errors.

use anyhow::Result;
use serde_json::Value;

use crate::error::{Error, Exit};
use crate::redact;
use crate::secret::Secret;

mod unexpected;
pub use unexpected::{describe_body, parse_error_body};

/// The most saymon reads of an answer it parses (a token, a user, an error body): SAYMON's
/// are a few hundred bytes. `api` streams its bodies and has no such limit.
pub const MAX_ANSWER: usize = 64 << 10;

/// Whether serde_json refused a document for nesting deeper than its limit (127 levels
/// allowed, `jq::MAX_INPUT_DEPTH`). serde_json has no public error code for it; its message is
/// fixed ("recursion limit exceeded at line …").
pub fn too_deep(e: &serde_json::Error) -> bool {
    e.classify() == serde_json::error::Category::Syntax
        && e.to_string().starts_with("recursion limit exceeded")
}

/// Check a JSON document's nesting without keeping anything: serde_json parses it and
/// stops at its recursion limit (127 levels allowed), which `IgnoredAny` alone would not (it skips
/// without recursing). Errors: serde_json's, `too_deep` tells the limit.
pub fn check_nesting(json: &[u8]) -> std::result::Result<(), serde_json::Error> {
    use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    /// Any JSON value, read through serde_json's recursion and dropped.
    struct Shape;

    impl<'de> Deserialize<'de> for Shape {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Shape, D::Error> {
            d.deserialize_any(ShapeVisitor)
        }
    }

    struct ShapeVisitor;

    impl<'de> Visitor<'de> for ShapeVisitor {
        type Value = Shape;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }

        fn visit_bool<E>(self, _: bool) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_i64<E>(self, _: i64) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_u64<E>(self, _: u64) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_f64<E>(self, _: f64) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_str<E>(self, _: &str) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_unit<E>(self) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Shape, A::Error> {
            while seq.next_element::<Shape>()?.is_some() {}
            Ok(Shape)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Shape, A::Error> {
            while map.next_entry::<IgnoredAny, Shape>()?.is_some() {}
            Ok(Shape)
        }
    }

    serde_json::from_slice::<Shape>(json).map(drop)
}

/// The longest token accepted. SAYMON sends a UUID (36 characters).
pub const MAX_TOKEN_LEN: usize = 512;

/// The body of `POST auth-token`: a JSON string. SAYMON sends a UUID
/// (`a5f946dc-4c21-4ccd-b78b-f0a5fce94f4d`); anything that could not be a token (see
/// `check_token`) is malformed. The error never shows the body: it might be a token.
pub fn parse_token(body: &[u8]) -> Result<Secret> {
    let malformed = |what: String| -> anyhow::Error {
        Error::new(
            Exit::Failure,
            format!("the server's answer is not a token: {what}"),
        )
        .hint("is --server the SAYMON server itself, not a proxy or web page in front of it?")
        .into()
    };
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::String(token)) => {
            let token = Secret::new(token);
            // Trimmed and checked as every token is (see `accept_token`).
            let trimmed = token.expose().trim();
            match check_token(trimmed) {
                Ok(()) if trimmed.len() == token.expose().len() => Ok(token),
                Ok(()) => Ok(Secret::new(trimmed)),
                Err(why) => Err(malformed(why)),
            }
        }
        Ok(other) => Err(malformed(format!("JSON {}", json_kind(&other)))),
        Err(_) => Err(malformed(describe_body(body))),
    }
}

/// Every token saymon uses goes through here, whatever its source (`SAYMON_TOKEN`, the
/// file store, the keyring, a rescued token, one the server just made): white space around
/// it is trimmed (as `echo "$T" | secret-tool store …` leaves a newline), then it must pass
/// `check_token`. `source` names where it came from, for the error (exit 1), which never
/// quotes the token: a token that fails is never sent, printed, exported or replaced.
pub fn accept_token(raw: Secret, source: &str) -> Result<Secret> {
    let trimmed = raw.expose().trim();
    if let Err(why) = check_token(trimmed) {
        return Err(Error::new(
            Exit::Failure,
            format!("the token from {source} cannot be a SAYMON token: it is {why}"),
        )
        .hint(format!(
            "a SAYMON token is a UUID such as 5e21b752-308c-4c66-964e-072c0a5e2b75: put the token alone in {source}, or replace it with `saymon login`"
        ))
        .into());
    }
    Ok(if trimmed.len() == raw.expose().len() {
        raw
    } else {
        Secret::new(trimmed)
    })
}

/// What a token may be: 1 to `MAX_TOKEN_LEN` printable ASCII characters, none of which
/// would change a URL or a shell word it is put into (`"`, `'`, `\`, `&`, `=`, `#`, `%`,
/// `+`, `?`, `;`, `` ` ``, `$`, `<`, `>`, `|`, space, and curl's globbing `[`, `]`, `{`, `}`,
/// and `*`). SAYMON's own tokens are UUIDs, far inside
/// this. The error says what was wrong without quoting the token.
pub fn check_token(token: &str) -> std::result::Result<(), String> {
    const UNSAFE: &str = "\"'\\&=#%+?;`$<>|[]{}*";
    if token.is_empty() {
        return Err("an empty string".into());
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(format!(
            "a string of {} bytes, longer than a token can be ({MAX_TOKEN_LEN})",
            token.len()
        ));
    }
    for c in token.chars() {
        let why = if c.is_whitespace() {
            "white space"
        } else if c.is_control() {
            "a control character"
        } else if redact::is_unsafe(c) {
            "an invisible formatting character (bidi or zero-width)"
        } else if !c.is_ascii() {
            "a non-ASCII character"
        } else if UNSAFE.contains(c) {
            return Err(format!(
                "a string with the character {c:?}, which no token has and which breaks a URL or shell quoting"
            ));
        } else {
            continue;
        };
        return Err(format!("a string with {why}, which no token has"));
    }
    Ok(())
}

/// The body of `GET users/current`: an object with string `id` and `login`.
pub fn parse_user(body: &[u8]) -> Result<Value> {
    let user: Value = serde_json::from_slice(body).map_err(|_| {
        Error::new(
            Exit::Failure,
            format!("the server's answer is not a user: {}", describe_body(body)),
        )
    })?;
    for field in ["id", "login"] {
        if !user.get(field).is_some_and(Value::is_string) {
            return Err(Error::new(
                Exit::Failure,
                format!("the server's answer is not a user: it has no string \"{field}\""),
            )
            .into());
        }
    }
    Ok(user)
}

pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_a_json_string() {
        let t = parse_token(br#""a5f946dc-4c21-4ccd-b78b-f0a5fce94f4d""#).unwrap();
        assert_eq!(t.expose(), "a5f946dc-4c21-4ccd-b78b-f0a5fce94f4d");
        let t = parse_token(b" \"abc\"\n").unwrap();
        assert_eq!(t.expose(), "abc");
        // JSON escapes are decoded, not kept.
        assert_eq!(parse_token(br#""a\u0062c""#).unwrap().expose(), "abc");
    }

    #[test]
    fn malformed_tokens_are_errors_that_do_not_quote_them() {
        let long = format!("\"{}\"", "sekrit".repeat(100));
        for body in [
            &br#""""#[..],
            br#""has space""#,
            br#""tab\there""#,
            br#""sek&rit""#,
            br#""sek=rit""#,
            br#""sek#rit""#,
            br#""sek%rit""#,
            br#""sek+rit""#,
            br#""sek\"rit""#,
            br#""sek'rit""#,
            br#""sek\\rit""#,
            "\"sekrit\u{202e}x\"".as_bytes(),
            "\"sek\u{200b}rit\"".as_bytes(),
            "\"sekrit\u{e9}\"".as_bytes(),
            br#""sek\u0085rit""#,
            long.as_bytes(),
            br#"{"token":"sekrit"}"#,
            b"sekrit",
            b"<html><head><title>502 Bad Gateway</title></head><body>x</body></html>",
            b"",
        ] {
            let err = parse_token(body).unwrap_err();
            let text = format!("{err:#}");
            assert!(!text.contains("sekrit"), "{text}");
            assert_eq!(crate::error::exit_code(&err), Exit::Failure);
        }
        let err = parse_token(b"<html><title>502 Bad Gateway</title></html>").unwrap_err();
        assert!(
            err.to_string().contains("HTML page \"502 Bad Gateway\""),
            "{err}"
        );
    }

    #[test]
    fn what_came_back_is_named() {
        for (body, kind) in [
            ("null", "JSON null"),
            ("true", "JSON true/false"),
            ("42", "JSON a number"),
            ("[\"t\"]", "JSON an array"),
            ("{\"token\":\"t\"}", "JSON an object"),
        ] {
            let err = parse_token(body.as_bytes()).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("the server's answer is not a token: {kind}")
            );
        }
        assert!(
            parse_token(b"  ")
                .unwrap_err()
                .to_string()
                .ends_with("an empty body")
        );
        assert!(
            parse_token(b"plain words")
                .unwrap_err()
                .to_string()
                .ends_with("11 bytes of non-JSON text")
        );
    }

    #[test]
    fn limits_are_the_documented_ones() {
        assert_eq!(MAX_ANSWER, 65536, "docs/tls.md promises 64 KiB");
        let longest = "a".repeat(MAX_TOKEN_LEN);
        assert!(check_token(&longest).is_ok());
        let err = check_token(&format!("{longest}a")).unwrap_err();
        assert_eq!(
            err,
            format!("a string of 513 bytes, longer than a token can be ({MAX_TOKEN_LEN})")
        );
        assert!(check_token("a5f946dc-4c21-4ccd-b78b-f0a5fce94f4d").is_ok());
        assert_eq!(check_token(""), Err("an empty string".into()));
    }

    #[test]
    fn json_nested_too_deep_is_named() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let err = parse_user(deep.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the server's answer is not a user: JSON nested deeper than 127 levels"
        );
        assert!(check_nesting(b"[[[1]]]").is_ok());
        let at_limit = format!("{}{}", "[".repeat(127), "]".repeat(127));
        assert!(check_nesting(at_limit.as_bytes()).is_ok());
        let past = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(too_deep(&check_nesting(past.as_bytes()).unwrap_err()));
        let err = check_nesting(deep.as_bytes()).unwrap_err();
        assert!(too_deep(&err), "{err}");
        assert!(!too_deep(&check_nesting(b"[1,").unwrap_err()));
    }

    #[test]
    fn user_needs_id_and_login() {
        assert!(parse_user(br#"{"id":"1","login":"a","x":[1]}"#).is_ok());
        assert!(parse_user(br#"{"id":"1"}"#).is_err());
        assert!(parse_user(b"[]").is_err());
    }
}
