//! A server's certificate in our own words: whom it is for, who issued it, its names and
//! dates. It comes from the server, so every text in it is filtered and cut short.

use crate::redact;

/// What a person needs to know of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub subject: String,
    pub issuer: String,
    /// The DNS names and IP addresses it is valid for (its subject alternative names).
    pub names: Vec<String>,
    /// Its validity, in seconds since the epoch.
    pub not_before: i64,
    pub not_after: i64,
    /// Whether it signed itself (subject and issuer are the same).
    pub self_signed: bool,
    /// Its SHA-256 fingerprint, as `fingerprint` writes it.
    pub fingerprint: String,
}

/// At most this many names are kept: a certificate may hold thousands.
const MAX_NAMES: usize = 20;

/// The certificate `der`, or `None` when it cannot be parsed.
pub fn describe(der: &[u8]) -> Option<Described> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let shown = |text: &str| redact::server_text(text, 120);
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            let text = match name {
                x509_parser::extensions::GeneralName::DNSName(dns) => shown(dns),
                x509_parser::extensions::GeneralName::IPAddress(bytes) => ip(bytes)?,
                _ => continue,
            };
            if names.len() == MAX_NAMES {
                names.push("…".to_string());
                break;
            }
            names.push(text);
        }
    }
    let validity = cert.validity();
    Some(Described {
        subject: shown(&cert.subject().to_string()),
        issuer: shown(&cert.issuer().to_string()),
        names,
        not_before: validity.not_before.timestamp(),
        not_after: validity.not_after.timestamp(),
        self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
        fingerprint: fingerprint(der),
    })
}

fn ip(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(bytes).ok()?).to_string()),
        16 => Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(bytes).ok()?).to_string()),
        _ => None,
    }
}

impl Described {
    /// "a, b and c", or "no names" when it holds none (only a subject).
    pub fn names_listed(&self) -> String {
        match self.names.as_slice() {
            [] => format!("no names (only the subject {})", self.subject),
            [one] => one.clone(),
            [first @ .., last] => format!("{} and {last}", first.join(", ")),
        }
    }

    /// Whole days from `now` until it expires (negative: since it expired).
    pub fn days_left(&self, now: i64) -> i64 {
        self.not_after.saturating_sub(now).div_euclid(86_400)
    }
}

/// The SHA-256 fingerprint of a certificate's DER bytes, as `openssl x509 -noout
/// -fingerprint -sha256` shows it: 32 bytes in upper-case hex, colon-separated.
pub(crate) fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let hex: Vec<String> = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    hex.join(":")
}

/// A `--pin` (`sha256:` then the 64 hex digits of a SHA-256 fingerprint; colons and case
/// are ignored) as `fingerprint` writes it. The lines people paste are taken too: the
/// digits alone, `SHA-256 AB:…` as `doctor` shows it, and `sha256 Fingerprint=AB:…` (or
/// OpenSSL 1.1's `SHA256 Fingerprint=AB:…`) as `openssl x509 -noout -fingerprint -sha256`
/// prints it. Errors (exit 2) say what a pin looks like.
pub(crate) fn parse_pin(text: &str) -> Result<String, crate::error::Error> {
    let bad = || {
        crate::error::Error::new(
            crate::error::Exit::Usage,
            format!(
                "--pin {:?} is not a SHA-256 fingerprint",
                redact::server_text(text, 120)
            ),
        )
        .hint("paste the SHA-256 fingerprint as `openssl x509 -noout -fingerprint -sha256 -in cert.pem` prints it (sha256 Fingerprint=AB:CD:…) or `saymon doctor` shows it (SHA-256 AB:CD:…), or write sha256: and its 64 hex digits (colons and case do not matter)")
    };
    let text = text.trim();
    // The label, when there is one: ASCII, so that the rest starts at its length.
    let lower = text.to_ascii_lowercase();
    let labelled = ["sha256", "sha-256"].iter().find_map(|kind| {
        let rest = lower.strip_prefix(kind)?;
        let after = [" fingerprint=", ":", " "]
            .iter()
            .find_map(|sep| rest.strip_prefix(sep))?;
        Some(text[text.len() - after.len()..].trim())
    });
    let hex = match labelled {
        Some(hex) => hex,
        // Another label ("sha1 Fingerprint=", "md5:") is not a SHA-256 fingerprint.
        None if text.contains(['=', ' ']) => return Err(bad()),
        None => match text.split_once(':') {
            Some((kind, _)) if kind.len() != 2 => return Err(bad()),
            _ => text,
        },
    };
    let digits: String = hex.chars().filter(|&c| c != ':').collect();
    if digits.len() != 64 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let upper = digits.to_ascii_uppercase();
    let pairs: Vec<&str> = (0..32).map(|i| &upper[2 * i..2 * i + 2]).collect();
    Ok(pairs.join(":"))
}

/// Seconds since the epoch, now.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A moment (seconds since the epoch) as `YYYY-MM-DD HH:MM UTC`; one outside the years
/// 9999 BC to 9999 AD (no certificate holds such) as its number of seconds.
pub fn date(seconds: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(seconds) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        ),
        Err(_) => format!("{seconds} s after 1970-01-01 UTC"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01 00:00 UTC");
        assert_eq!(date(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(date(1_795_825_800), "2026-11-28 00:30 UTC");
        assert_eq!(date(-86_400), "1969-12-31 00:00 UTC");
        assert_eq!(date(253_402_300_799), "9999-12-31 23:59 UTC");
        assert_eq!(
            date(i64::MAX),
            format!("{} s after 1970-01-01 UTC", i64::MAX)
        );
    }

    #[test]
    fn days_left_rounds_down() {
        let d = Described {
            subject: String::new(),
            issuer: String::new(),
            names: vec![],
            not_before: 0,
            not_after: 10 * 86_400,
            self_signed: false,
            fingerprint: String::new(),
        };
        assert_eq!(d.days_left(0), 10);
        assert_eq!(d.days_left(86_400 + 1), 8);
        assert_eq!(d.days_left(11 * 86_400), -1);
    }

    #[test]
    fn names() {
        let mut d = Described {
            subject: "CN=x".into(),
            issuer: String::new(),
            names: vec![],
            not_before: 0,
            not_after: 0,
            self_signed: true,
            fingerprint: String::new(),
        };
        assert_eq!(d.names_listed(), "no names (only the subject CN=x)");
        d.names = vec!["a".into()];
        assert_eq!(d.names_listed(), "a");
        d.names = vec!["a".into(), "b".into(), "127.0.0.1".into()];
        assert_eq!(d.names_listed(), "a, b and 127.0.0.1");
    }

    #[test]
    fn fingerprints_and_pins() {
        // SHA-256 of the empty input, as openssl would show it.
        let empty = "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55";
        assert_eq!(fingerprint(b""), empty);
        let lower = format!("sha256:{}", empty.replace(':', "").to_ascii_lowercase());
        assert_eq!(parse_pin(&lower).unwrap(), empty);
        assert_eq!(parse_pin(&format!("SHA256:{empty}")).unwrap(), empty);
        assert_eq!(parse_pin(empty).unwrap(), empty, "as doctor shows it");
        for bad in [
            "",
            "sha256:",
            "md5:00",
            "sha256:zz",
            &format!("sha1:{empty}"),
            &lower[..70],
        ] {
            let err = parse_pin(bad).unwrap_err();
            assert_eq!(err.exit, crate::error::Exit::Usage, "{bad}");
        }
    }

    #[test]
    fn garbage_is_none() {
        assert_eq!(describe(b""), None);
        assert_eq!(describe(b"\x30\x03\x02\x01\x00"), None);
    }

    #[test]
    fn pins_as_people_paste_them() {
        let fp = "AB:".repeat(31) + "AB";
        let digits = fp.replace(':', "");
        for pasted in [
            format!("sha256:{fp}"),
            format!("SHA256:{}", digits.to_ascii_lowercase()),
            digits.clone(),
            fp.clone(),
            // openssl x509 -noout -fingerprint -sha256 (3.x, then 1.1)
            format!("sha256 Fingerprint={fp}"),
            format!("SHA256 Fingerprint={fp}\n"),
            // doctor's TLS line
            format!("SHA-256 {fp}"),
            format!("  sha-256:{digits}  "),
        ] {
            assert_eq!(
                parse_pin(&pasted).map_err(|e| e.message),
                Ok(fp.clone()),
                "{pasted:?}"
            );
        }
        for bad in [
            format!("sha1 Fingerprint={}", "AB:".repeat(19) + "AB"),
            format!("md5:{fp}"),
            format!("sha256 Fingerprint={}", &fp[3..]),
            format!("sha512 {fp}"),
            "sha256:".to_string(),
            "Ä".repeat(64),
            String::new(),
        ] {
            let err = parse_pin(&bad).unwrap_err();
            assert_eq!(err.exit, crate::error::Exit::Usage, "{bad:?}");
        }
    }
}
