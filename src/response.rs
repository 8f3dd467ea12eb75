//! What a SAYMON server answers, parsed and checked: a token, a user, an error body. Each
//! parser takes the bytes as they came (capped at `MAX_ANSWER` by the client), never
//! trusts them, and never quotes a secret or a page of HTML in its errors.

use anyhow::Result;
use serde_json::Value;

use crate::error::{Error, Exit};

use crate::secret::Secret;

mod unexpected;
pub(crate) use unexpected::describe_body;
pub use unexpected::parse_error_body;

use crate::token::check_token;

/// The most saymon reads of an answer it parses (a token, a user, an error body): SAYMON's
/// are a few hundred bytes. `api` streams its bodies and has no such limit.
pub(crate) const MAX_ANSWER: usize = 64 << 10;

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
            // Trimmed and checked as every token is (see `token::accept_token`).
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

pub(crate) fn json_kind(v: &Value) -> &'static str {
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
    }

    #[test]
    fn json_nested_too_deep_is_named() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let err = parse_user(deep.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the server's answer is not a user: JSON nested deeper than 127 levels"
        );
    }

    #[test]
    fn user_needs_id_and_login() {
        assert!(parse_user(br#"{"id":"1","login":"a","x":[1]}"#).is_ok());
        assert!(parse_user(br#"{"id":"1"}"#).is_err());
        assert!(parse_user(b"[]").is_err());
    }
}
