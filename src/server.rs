//! A SAYMON server's address: parsing what the user typed, and building API URLs.

use std::fmt;

use reqwest::Url;

use crate::error::{Error, Exit};
use crate::redact;

/// The root of a SAYMON install, e.g. `https://saymon.example.com` or
/// `http://10.0.0.5:8080/monitoring`; API paths go below `<root>/node/api/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    root: Url,
}

impl ServerUrl {
    /// A bare host (`saymon.example.com`, `host:8443`) means https. A trailing `/node/api`
    /// and trailing slashes are dropped. User info, a query or a fragment is refused: a
    /// password does not belong in a server address.
    pub fn parse(input: &str) -> Result<ServerUrl, Error> {
        let input = input.trim();
        let bad = |why: &str| {
            Error::new(Exit::Usage, format!("invalid server address: {why}"))
                .hint("give a host (saymon.example.com) or a URL (https://saymon.example.com)")
        };
        if input.is_empty() {
            return Err(bad("it is empty"));
        }
        let with_scheme = if input.contains("://") {
            input.to_string()
        } else {
            format!("https://{input}")
        };
        let url = Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("only http:// and https:// are supported"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("it has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "it contains a user name or password; use --login and a password source instead",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it contains a query or fragment"));
        }
        let mut path = url.path().trim_end_matches('/').to_string();
        for suffix in ["/node/api", "/node"] {
            if let Some(stripped) = path.strip_suffix(suffix) {
                path = stripped.to_string();
                break;
            }
        }
        let mut root = url;
        root.set_path(&path);
        Ok(ServerUrl { root })
    }

    /// `host[:port]`, the port only when it is not the scheme's default.
    pub fn host_port(&self) -> String {
        let host = self.root.host_str().unwrap_or_default();
        match self.root.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }

    /// The port, the scheme's default when none is written.
    pub fn port(&self) -> u16 {
        self.root.port_or_known_default().unwrap_or(443)
    }

    /// The host alone, as a certificate names it.
    pub fn host(&self) -> &str {
        self.root.host_str().unwrap_or_default()
    }

    pub fn is_https(&self) -> bool {
        self.root.scheme() == "https"
    }

    /// The same server under another scheme (`http` or `https`), with the same port.
    pub fn with_scheme(&self, scheme: &str) -> ServerUrl {
        let mut root = self.root.clone();
        let port = root.port_or_known_default();
        // Both schemes are "special" in the URL rules, so the change cannot fail.
        let _ = root.set_scheme(scheme);
        let _ = root.set_port(port);
        ServerUrl { root }
    }

    /// Whether the host is this machine (127.0.0.0/8, ::1, localhost).
    pub fn is_loopback(&self) -> bool {
        match self.root.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        }
    }

    /// `<root>/node/api/<segments...>`, each segment percent-encoded as needed. A `.` or
    /// `..` segment would climb out of `/node/api` (the URL rules resolve them): it is kept
    /// as a literal name instead, so that no segment can leave the API.
    pub fn api_url(&self, segments: &[&str]) -> Url {
        let mut url = self.root.clone();
        {
            let mut path = url
                .path_segments_mut()
                .expect("http(s) URLs always have a path");
            path.pop_if_empty().extend(["node", "api"]);
            for segment in segments {
                // The URL parser drops tabs and line breaks, so "\t.." is a ".." too.
                let segment = segment.replace(['\t', '\n', '\r'], "");
                match segment.as_str() {
                    "." | ".." => path.push(&segment.replace('.', "%2E")),
                    other => path.push(other),
                };
            }
        }
        url
    }

    /// The URL for what a user typed as an API path: `objects`, `/objects` and
    /// `/node/api/objects` alike, the query kept as given; or a full URL, accepted only on
    /// this server, so that the token goes nowhere else.
    pub fn resolve(&self, input: &str) -> Result<Url, Error> {
        if input.starts_with("http://") || input.starts_with("https://") {
            let url = Url::parse(input)
                .map_err(|e| Error::new(Exit::Usage, format!("invalid URL: {e}")))?;
            if !self.same_origin(&url) {
                return Err(Error::new(
                    Exit::Usage,
                    format!(
                        "refusing to send the token to {}: it is not the profile's server {self}",
                        url.origin().ascii_serialization()
                    ),
                )
                .hint("give a path (objects, /node/api/objects), or --server for that server"));
            }
            return Ok(url);
        }
        let (path, query) = match input.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (input, None),
        };
        let path = path.trim_start_matches('/');
        let path = path
            .strip_prefix("node/api/")
            .or_else(|| (path == "node/api").then_some(""))
            .unwrap_or(path);
        let root = self.root.as_str().trim_end_matches('/');
        let mut url = Url::parse(&format!("{root}/node/api/{path}"))
            .map_err(|e| Error::new(Exit::Usage, format!("invalid API path: {e}")))?;
        url.set_query(query.filter(|q| !q.is_empty()));
        Ok(url)
    }

    /// Whether both are the same origin (scheme, host and port).
    pub fn same_origin_as(&self, other: &ServerUrl) -> bool {
        self.same_origin(&other.root)
    }

    /// Whether `url` is on this server (same scheme, host and port): the only place the
    /// token and the password may go.
    pub fn same_origin(&self, url: &Url) -> bool {
        url.origin() == self.root.origin()
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(redact::url(&self.root).trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(input: &str) -> String {
        ServerUrl::parse(input).unwrap().to_string()
    }

    #[test]
    fn bare_host_means_https() {
        assert_eq!(shown("saymon.example.com"), "https://saymon.example.com");
        assert_eq!(
            shown("saymon.example.com:8443"),
            "https://saymon.example.com:8443"
        );
        assert_eq!(shown(" https://S.example.com/ "), "https://s.example.com");
    }

    #[test]
    fn paths_and_slashes() {
        assert_eq!(shown("http://h:8080/node/api/"), "http://h:8080");
        assert_eq!(shown("https://h/node/api"), "https://h");
        assert_eq!(shown("https://h/mon//"), "https://h/mon");
        let s = ServerUrl::parse("https://h/mon/").unwrap();
        assert_eq!(
            s.api_url(&["users", "5e21b752308c3c66d64e072c", "auth-token"])
                .as_str(),
            "https://h/mon/node/api/users/5e21b752308c3c66d64e072c/auth-token"
        );
        let s = ServerUrl::parse("h").unwrap();
        assert_eq!(
            s.api_url(&["users", "current"]).as_str(),
            "https://h/node/api/users/current"
        );
        assert_eq!(
            s.api_url(&["users", "a/b?c"]).path(),
            "/node/api/users/a%2Fb%3Fc"
        );
        // Dot segments stay inside the API (found by the server_url fuzzer).
        assert_eq!(
            s.api_url(&["..", "..", ".", "x"]).path(),
            "/node/api/%252E%252E/%252E%252E/%252E/x"
        );
        assert_eq!(
            s.api_url(&["\t..", ".\n.", "\r."]).path(),
            "/node/api/%252E%252E/%252E%252E/%252E"
        );
    }

    #[test]
    fn host_port_for_the_keyring_account() {
        assert_eq!(ServerUrl::parse("https://h:443").unwrap().host_port(), "h");
        assert_eq!(ServerUrl::parse("https://h:8443/x").unwrap().host(), "h");
        assert_eq!(
            ServerUrl::parse("http://h:8080").unwrap().host_port(),
            "h:8080"
        );
        assert_eq!(
            ServerUrl::parse("https://127.0.0.1:9").unwrap().host_port(),
            "127.0.0.1:9"
        );
    }

    #[test]
    fn refuses_what_is_not_a_server() {
        for bad in [
            "",
            "ftp://h",
            "https://u:pw@h",
            "https://u@h",
            "https://:pw@h",
            "https://h/?api-token=x",
            "https://h/#x",
            "https://",
        ] {
            let err = ServerUrl::parse(bad).unwrap_err();
            assert_eq!(err.exit, Exit::Usage, "{bad}");
            assert!(!err.message.contains("pw"), "{}", err.message);
        }
        let err = ServerUrl::parse("https://u@h").unwrap_err();
        assert!(
            err.message.contains("user name or password"),
            "{}",
            err.message
        );
        let err = ServerUrl::parse("https://h/#x").unwrap_err();
        assert!(err.message.contains("query or fragment"), "{}", err.message);
    }

    #[test]
    fn the_scheme_is_kept() {
        assert!(ServerUrl::parse("h").unwrap().is_https());
        assert!(ServerUrl::parse("https://h").unwrap().is_https());
        assert!(!ServerUrl::parse("http://h").unwrap().is_https());
        let http = ServerUrl::parse("http://h:8080").unwrap();
        let https = ServerUrl::parse("https://h:8080").unwrap();
        assert!(!http.same_origin_as(&https));
        assert!(http.same_origin_as(&ServerUrl::parse("http://h:8080/mon").unwrap()));
    }

    #[test]
    fn api_paths_three_spellings_and_queries() {
        let s = ServerUrl::parse("https://h/mon").unwrap();
        for input in [
            "objects",
            "/objects",
            "/node/api/objects",
            "node/api/objects",
        ] {
            assert_eq!(
                s.resolve(input).unwrap().as_str(),
                "https://h/mon/node/api/objects"
            );
        }
        assert_eq!(
            s.resolve("objects/5e2/history?metrics=cpu&from=1&to=2")
                .unwrap()
                .as_str(),
            "https://h/mon/node/api/objects/5e2/history?metrics=cpu&from=1&to=2"
        );
        assert_eq!(
            s.resolve("objects?fields=id,name").unwrap().query(),
            Some("fields=id,name")
        );
        assert_eq!(
            s.resolve("https://h/mon/node/api/users/current?x=1")
                .unwrap()
                .as_str(),
            "https://h/mon/node/api/users/current?x=1"
        );
        let err = s
            .resolve("https://evil.example/node/api/objects")
            .unwrap_err();
        assert_eq!(err.exit, Exit::Usage);
        assert!(
            err.message.contains("https://evil.example"),
            "{}",
            err.message
        );
        assert!(
            s.resolve("http://h/mon/node/api/objects").is_err(),
            "scheme counts"
        );
        assert!(
            s.resolve("https://h:444/node/api/objects").is_err(),
            "port counts"
        );
    }

    #[test]
    fn loopback_and_origin() {
        assert!(
            ServerUrl::parse("http://127.0.0.1:1")
                .unwrap()
                .is_loopback()
        );
        assert!(ServerUrl::parse("http://localhost").unwrap().is_loopback());
        assert!(!ServerUrl::parse("http://10.1.1.1").unwrap().is_loopback());
        let s = ServerUrl::parse("https://h").unwrap();
        assert!(s.same_origin(&Url::parse("https://h:443/x").unwrap()));
        assert!(!s.same_origin(&Url::parse("http://h/x").unwrap()));
        assert!(!s.same_origin(&Url::parse("https://evil/x").unwrap()));
    }
}
