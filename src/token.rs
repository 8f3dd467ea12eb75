//! What a token may be, wherever it comes from (a server's answer, SAYMON_TOKEN, a store,
//! a file): the one check every token passes before it is sent, printed or stored.

use anyhow::Result;

use crate::error::{Error, Exit};
use crate::redact;
use crate::secret::Secret;

/// The longest token accepted. SAYMON sends a UUID (36 characters).
pub const MAX_TOKEN_LEN: usize = 512;

/// Every token saymon uses goes through here, whatever its source (`SAYMON_TOKEN`, the
/// file store, the keyring, a rescued token, one the server just made): white space around
/// it is trimmed (as `echo "$T" | secret-tool store …` leaves a newline), then it must pass
/// `check_token`. `source` names where it came from, for the error (exit 1), which never
/// quotes the token: a token that fails is never sent, printed, exported or replaced.
pub(crate) fn accept_token(raw: Secret, source: &str) -> Result<Secret> {
    let trimmed = raw.expose().trim();
    if let Err(why) = check_token(trimmed) {
        return Err(Error::new(
            Exit::Failure,
            format!("the token from {source} cannot be a SAYMON token: it is {why}"),
        )
        .hint(format!(
            "a SAYMON token is a UUID such as 5e21b752-308c-4c66-964e-072c0a5e2b75: check that {source} is the right one and holds the token alone; `saymon login` makes a new token"
        ))
        .into());
    }
    crate::redact::never_on_stderr(trimmed);
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
            // Named: it is one of these few, never any other character of the token.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_the_documented_ones() {
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
}
