//! A body that is not the JSON asked for, told without quoting it whole: SAYMON's error
//! JSON, an HTML page by its title (and the fix when a web server in front says why),
//! anything else by its size.

use reqwest::StatusCode;
use serde_json::Value;

use crate::error::ServerError;
use crate::json::{check_nesting, too_deep};
use crate::redact;

/// A body that is not the JSON we expected, described without quoting it whole: an HTML
/// page by its title, anything else by its size.
pub(crate) fn describe_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return "an empty body".into();
    }
    if check_nesting(body).is_err_and(|e| too_deep(&e)) {
        return format!("JSON nested deeper than {} levels", crate::json::MAX_DEPTH);
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.contains("<body")
    {
        return match html_title(&text) {
            Some(title) => format!("an HTML page \"{}\"", redact::server_text(&title, 80)),
            None => "an HTML page".into(),
        };
    }
    format!("{} bytes of non-JSON text", body.len())
}

fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let end = open_end + lower[open_end..].find("</title")?;
    Some(html[open_end..end].trim().to_string()).filter(|t| !t.is_empty())
}

/// SAYMON's `{code, message}` (with the inner message when `message` is itself JSON
/// `{errorCode, message}`), or for any other body a short, sanitized excerpt.
pub fn parse_error_body(status: StatusCode, content_type: &str, body: &[u8]) -> ServerError {
    let mut err = ServerError {
        status,
        code: None,
        message: None,
        hint: None,
    };
    if let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) {
        err.code = obj
            .get("code")
            .and_then(Value::as_str)
            .map(|c| redact::server_text(c, 60));
        err.message = obj.get("message").map(|m| {
            let text = match m {
                Value::String(s) => match serde_json::from_str::<Value>(s) {
                    Ok(Value::Object(inner)) => inner
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or(s)
                        .to_string(),
                    _ => s.clone(),
                },
                Value::Object(inner) => inner
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| m.to_string()),
                other => other.to_string(),
            };
            redact::server_text(&text, 200)
        });
        return err;
    }
    let is_html = content_type.contains("html") || describe_body(body).starts_with("an HTML");
    let text = String::from_utf8_lossy(body);
    err.hint = web_server_hint(&text.to_ascii_lowercase()).map(str::to_string);
    err.message = if body.is_empty() {
        None
    } else if is_html {
        Some(describe_body(body))
    } else {
        Some(redact::server_text(&text, 120))
    };
    err
}

/// What nginx's own error pages (the usual front of SAYMON) mean for saymon's flags.
fn web_server_hint(lower: &str) -> Option<&'static str> {
    if lower.contains("plain http request was sent to https port") {
        Some("the port speaks HTTPS: write https:// in --server")
    } else if lower.contains("no required ssl certificate was sent") {
        Some(
            "the server wants a client certificate (mutual TLS): pass --client-cert FILE.pem and --client-key FILE.key",
        )
    } else if lower.contains("ssl certificate error") {
        Some(
            "the server refused the client certificate: ask its admin which CA it trusts for clients",
        )
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_pages_about_tls_get_the_fix() {
        let page = |title: &str| {
            format!(
                "<html><head><title>400 {title}</title></head><body><center><h1>400 Bad Request</h1></center><center>{title}</center></body></html>"
            )
        };
        for (title, fix) in [
            (
                "The plain HTTP request was sent to HTTPS port",
                "write https://",
            ),
            ("No required SSL certificate was sent", "--client-cert"),
            (
                "The SSL certificate error",
                "refused the client certificate",
            ),
        ] {
            let err =
                parse_error_body(StatusCode::BAD_REQUEST, "text/html", page(title).as_bytes());
            assert!(err.hint.as_deref().unwrap().contains(fix), "{title}");
        }
        let err = parse_error_body(
            StatusCode::BAD_REQUEST,
            "text/html",
            page("Bad Request").as_bytes(),
        );
        assert_eq!(err.hint, None);
    }

    #[test]
    fn html_is_known_by_its_type_or_its_look() {
        let page = b"<!DOCTYPE html><html><head><title>Bad Gateway</title></head></html>";
        let e = parse_error_body(StatusCode::BAD_GATEWAY, "text/plain", page);
        assert_eq!(e.message.as_deref(), Some("an HTML page \"Bad Gateway\""));
        let e = parse_error_body(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html",
            b"Service down",
        );
        assert_eq!(e.message.as_deref(), Some("12 bytes of non-JSON text"));
        let e = parse_error_body(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/plain",
            b"Service down",
        );
        assert_eq!(e.message.as_deref(), Some("Service down"));
        let e = parse_error_body(
            StatusCode::BAD_GATEWAY,
            "",
            b"<html><body>no title</body></html>",
        );
        assert_eq!(e.message.as_deref(), Some("an HTML page"));
    }

    #[test]
    fn saymon_error_bodies() {
        let e = parse_error_body(
            StatusCode::UNAUTHORIZED,
            "application/json",
            br#"{"code":"Unauthorized","message":"{\"errorCode\":3,\"message\":\"Invalid API token.\"}"}"#,
        );
        assert_eq!(e.code.as_deref(), Some("Unauthorized"));
        assert_eq!(e.message.as_deref(), Some("Invalid API token."));
        assert_eq!(
            e.summary(),
            "401 Unauthorized: Invalid API token. (Unauthorized)"
        );

        let e = parse_error_body(
            StatusCode::UNAUTHORIZED,
            "application/json",
            br#"{"code":"InvalidCredentials","message":"Invalid login or password."}"#,
        );
        assert_eq!(e.message.as_deref(), Some("Invalid login or password."));

        let e = parse_error_body(
            StatusCode::BAD_GATEWAY,
            "text/html",
            b"<html><title>502 Bad Gateway</title><body>nginx</body></html>",
        );
        assert_eq!(
            e.summary(),
            "502 Bad Gateway: an HTML page \"502 Bad Gateway\""
        );

        let e = parse_error_body(StatusCode::FORBIDDEN, "text/plain", b"no\x1b[2J way\n");
        assert_eq!(e.message.as_deref(), Some("no\\u{1b}[2J way"));
        assert_eq!(
            parse_error_body(StatusCode::NOT_FOUND, "", b"").summary(),
            "404 Not Found"
        );
    }
}
