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

/// Text from a server, fit for one line on a terminal: control characters escaped,
/// white space folded, cut to `max` characters.
pub fn server_text(text: &str, max: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    for (n, c) in folded.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
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
    }

    #[test]
    fn token_params_in_text() {
        assert_eq!(
            token_params("/x?api-token=abc&b=1 and api-token=def"),
            "/x?api-token=***&b=1 and api-token=***"
        );
        assert_eq!(token_params("nothing here"), "nothing here");
    }

    #[test]
    fn server_text_is_one_safe_line() {
        assert_eq!(server_text("a\n  b\x1b[31m", 100), "a b\\u{1b}[31m");
        assert_eq!(server_text("abcdef", 3), "abc…");
    }
}
