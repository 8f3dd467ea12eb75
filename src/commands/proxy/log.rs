//! The proxy's log: one line per request on stderr (time, method, path with any token
//! shown as ***, status, bytes, duration, and what the proxy did: a retry with a token read
//! again, its own answer), or with `--output json` one JSON object a line; `-q` silences
//! it. Warnings always show.

use std::time::{Instant, SystemTime};

use serde_json::json;

use crate::output::Output;
use crate::redact;

/// Where the lines go, and in which form (plain data: it outlives the borrow of the
/// output, as a body streamed to a client does).
#[derive(Debug, Clone, Copy)]
pub(super) struct Log {
    quiet: bool,
    json: bool,
}

impl Log {
    pub(super) fn new(out: &Output) -> Log {
        Log {
            quiet: out.is_quiet(),
            json: out.json(),
        }
    }

    /// A warning, whatever `-q` says.
    pub(super) fn warn(&self, message: &str) {
        crate::sys::to_stderr(&format!("saymon: warning: {message}"));
    }

    /// The line of a request for `path` (its query too: any token in it is shown as ***).
    pub(super) fn entry(&self, method: &str, path: &str) -> Entry {
        Entry {
            log: *self,
            at: SystemTime::now(),
            started: Instant::now(),
            method: redact::server_text(method, 16),
            path: redact::server_text(&shown_path(path), 300),
            status: 0,
            by: By::Server,
            reread: false,
            refreshed: false,
            cut_short: false,
            error: None,
        }
    }
}

/// Who answered a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum By {
    /// The server (the proxy only passed it on).
    Server,
    /// The proxy itself (a refusal, the server out of reach).
    Proxy,
}

/// One request's line, written once its answer is done.
pub(super) struct Entry {
    log: Log,
    /// When the request came (shown as an HTTP date, hyper's own formatter: `Thu, 03
    /// Dec 2026 13:40:00 GMT`).
    at: SystemTime,
    started: Instant,
    method: String,
    path: String,
    status: u16,
    by: By,
    /// The token was refused, read again (another process rotated it), and the request
    /// sent again.
    reread: bool,
    /// The token was refused and nothing newer stored: the proxy made a new one and sent
    /// the request again.
    refreshed: bool,
    /// The client went away before the end of the answer.
    cut_short: bool,
    /// The answer broke off (the server's connection).
    error: Option<String>,
}

impl Entry {
    pub(super) fn answered(&mut self, status: u16, by: By) {
        self.status = status;
        self.by = by;
    }

    pub(super) fn reread(&mut self) {
        self.reread = true;
    }

    pub(super) fn refreshed(&mut self) {
        self.refreshed = true;
    }

    pub(super) fn cut_short(&mut self) {
        self.cut_short = true;
    }

    pub(super) fn failed(&mut self, e: &reqwest::Error) {
        self.error = Some(redact::server_text(
            &redact::token_params(&e.to_string()),
            200,
        ));
    }

    /// Write the line: `bytes` of body went to the client.
    pub(super) fn write(self, bytes: u64) {
        if self.log.quiet {
            return;
        }
        let ms = self.started.elapsed().as_millis();
        let at = httpdate::fmt_http_date(self.at);
        let line = if self.log.json {
            json!({
                "time": at,
                "method": self.method,
                "path": self.path,
                "status": self.status,
                "bytes": bytes,
                "ms": ms,
                "answered_by": match self.by { By::Server => "server", By::Proxy => "proxy" },
                "token_reread": self.reread,
                "token_refreshed": self.refreshed,
                "cut_short": self.cut_short,
                "error": self.error,
            })
            .to_string()
        } else {
            let mut line = format!(
                "{at} {} {} {} {bytes} B {ms} ms",
                self.method, self.path, self.status
            );
            if self.by == By::Proxy {
                line.push_str(" (the proxy's answer)");
            }
            if self.reread {
                line.push_str(" (token read again, retried)");
            }
            if self.refreshed {
                line.push_str(" (token refreshed, retried)");
            }
            if self.cut_short {
                line.push_str(" (the client left early)");
            }
            if let Some(e) = &self.error {
                line.push_str(&format!(" (broken off: {e})"));
            }
            line
        };
        crate::sys::to_stderr(&line);
    }
}

/// `path` for the log: the value of every query parameter whose name (decoded, any case)
/// holds `token` or `password` is `***`.
fn shown_path(path: &str) -> String {
    let Some((path, query)) = path.split_once('?') else {
        return path.to_string();
    };
    let query: Vec<String> = query
        .split('&')
        .map(|part| {
            let (key, _) = part.split_once('=').unwrap_or((part, ""));
            let name = url::form_urlencoded::parse(key.as_bytes())
                .next()
                .map(|(k, _)| k.to_ascii_lowercase())
                .unwrap_or_default();
            match name.contains("token") || name.contains("password") {
                true => format!("{key}=***"),
                false => part.to_string(),
            }
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_any_spelling_are_not_logged() {
        assert_eq!(
            shown_path("/node/api/x?API-TOKEN=a&auth-token=b&api%2Dtoken=c&password=d&limit=5"),
            "/node/api/x?API-TOKEN=***&auth-token=***&api%2Dtoken=***&password=***&limit=5"
        );
        assert_eq!(shown_path("/node/api/x"), "/node/api/x");
    }
}
