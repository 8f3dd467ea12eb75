//! How `api` prints an answer as it arrives: byte for byte, pretty JSON for a person at a
//! terminal, or kept whole for `--jq`; the head of an error body is kept for its message.

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use reqwest::Response;
use serde_json::Value;

use super::ApiArgs;
use crate::client::Client;
use crate::credentials::Session;
use crate::error::{Error, Exit};
use crate::jq::Jq;

/// JSON bodies up to this size are pretty-printed at a terminal; larger ones stream as
/// they are.
const PRETTY_LIMIT: usize = 16 << 20;
/// How much of an error body is kept to find SAYMON's `{code, message}` in it.
const ERROR_BODY_LIMIT: usize = crate::response::MAX_ANSWER;

/// Print `response` (its status line and headers first with -i) on stdout as `args` and
/// the session ask; each read of a streamed body waits at most --timeout (the whole
/// body may take longer: a large answer streams). Returns the head of an error body
/// (empty for a 2xx). Errors: a closed stdout, a failed read, an answer over `--max-mib`
/// for --jq (exit 1), the filter's own.
pub(super) async fn answer(
    args: &ApiArgs,
    session: &Session<'_>,
    client: &Client<'_>,
    mut response: Response,
    content_type: &str,
) -> Result<Vec<u8>> {
    let status = response.status();
    crate::sys::stdout_open()?;
    let mut stdout = io::stdout().lock();
    if args.include {
        writeln!(stdout, "{:?} {}", response.version(), status)?;
        for (name, value) in response.headers() {
            stdout.write_all(name.as_str().as_bytes())?;
            stdout.write_all(b": ")?;
            stdout.write_all(value.as_bytes())?;
            stdout.write_all(b"\n")?;
        }
        stdout.write_all(b"\n")?;
    }
    let mut sink = Sink::new(args, session, status.is_success(), content_type);
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| client.transport_error(e))?
    {
        sink.take(&chunk, &mut stdout)?;
    }
    let json = session.out.format == crate::settings::OutputFormat::Json;
    let head = sink.finish(json, &mut stdout)?;
    stdout.flush()?;
    Ok(head)
}

/// Where the answer's bytes go, decided once by what was asked.
struct Sink<'j> {
    /// --jq filters a whole answer: it is kept (up to --max-mib) instead of streamed.
    jq: Option<&'j Jq>,
    max_mib: u32,
    /// With --jq, stdout holds only the filter's JSON: an error's body is not printed
    /// (its SAYMON message is in the error line on stderr).
    unprinted: bool,
    /// Pretty JSON for a person at a terminal (an error's body too), held until whole.
    buffering: bool,
    success: bool,
    whole: Vec<u8>,
    pending: Vec<u8>,
    /// The head of an error body, to find SAYMON's `{code, message}` in it.
    head: Vec<u8>,
    /// The last byte streamed, so that an error's body ends its line before the error.
    last: Option<u8>,
}

impl<'j> Sink<'j> {
    fn new(args: &ApiArgs, session: &'j Session<'_>, success: bool, content_type: &str) -> Self {
        let jq = session.out.jq().filter(|_| success);
        Sink {
            jq,
            max_mib: session.settings.max_mib,
            unprinted: session.out.jq().is_some() && !success,
            buffering: jq.is_none()
                && !args.raw
                && content_type.contains("json")
                && io::stdout().is_terminal(),
            success,
            whole: Vec::new(),
            pending: Vec::new(),
            head: Vec::new(),
            last: None,
        }
    }

    /// One chunk of the answer, as it arrived.
    fn take(&mut self, chunk: &[u8], stdout: &mut impl Write) -> Result<()> {
        if !self.success && self.head.len() < ERROR_BODY_LIMIT {
            let room = ERROR_BODY_LIMIT - self.head.len();
            self.head.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        if self.jq.is_some() {
            // --jq filters a whole document, held in memory: at most --max-mib of it.
            let limit = (self.max_mib as usize) << 20;
            if self.whole.len() + chunk.len() > limit {
                return Err(Error::new(
                    Exit::Failure,
                    format!(
                        "the answer is over --max-mib ({} MiB), too large for --jq",
                        self.max_mib
                    ),
                )
                .hint("raise --max-mib, filter on the server (query parameters), or pipe the answer to jq")
                .into());
            }
            grow_within(&mut self.whole, chunk.len(), limit);
            self.whole.extend_from_slice(chunk);
        } else if self.unprinted {
        } else if self.buffering {
            self.pending.extend_from_slice(chunk);
            if self.pending.len() > PRETTY_LIMIT {
                // Too large to pretty-print: stream it as it is.
                stdout.write_all(&self.pending)?;
                self.pending = Vec::new();
                self.buffering = false;
            }
        } else {
            stdout.write_all(chunk)?;
            self.last = chunk.last().copied().or(self.last);
        }
        Ok(())
    }

    /// The end of the answer: run --jq, or print what was held; returns the error head.
    fn finish(mut self, json: bool, stdout: &mut impl Write) -> Result<Vec<u8>> {
        if let Some(jq) = self.jq {
            // What jq may use is --max-mib less the answer's length: the answer must not
            // hold more than its length (glibc shrinks a large block in place).
            self.whole.shrink_to_fit();
            jq.run(&self.whole, json, stdout)?;
        }
        if self.buffering {
            match serde_json::from_slice::<Value>(&self.pending) {
                Ok(value) => {
                    // At a terminal: no escape sequence from the server reaches it.
                    let pretty = serde_json::to_string_pretty(&value).map_err(io::Error::other)?;
                    stdout.write_all(crate::redact::json(&pretty).as_bytes())?;
                    stdout.write_all(b"\n")?;
                }
                Err(_) => {
                    stdout.write_all(&self.pending)?;
                    self.last = self.pending.last().copied().or(self.last);
                }
            }
        }
        if !self.success && self.last.is_some_and(|b| b != b'\n') {
            stdout.write_all(b"\n")?;
        }
        Ok(self.head)
    }
}

/// Room in `buf` for `more` bytes, grown as a Vec grows (doubling) but never past `limit`
/// (`--max-mib`): doubling alone could hold twice the answer.
fn grow_within(buf: &mut Vec<u8>, more: usize, limit: usize) {
    let needed = buf.len() + more;
    if needed > buf.capacity() {
        let grown = buf
            .capacity()
            .saturating_mul(2)
            .max(needed)
            .min(limit.max(needed));
        buf.reserve_exact(grown - buf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::grow_within;

    #[test]
    fn an_answer_kept_for_jq_never_holds_more_than_max_mib() {
        let limit = 1 << 20;
        let mut kept = Vec::new();
        let chunk = vec![b' '; 300 << 10];
        for _ in 0..3 {
            grow_within(&mut kept, chunk.len(), limit);
            kept.extend_from_slice(&chunk);
            assert!(kept.capacity() <= limit, "{} > {limit}", kept.capacity());
        }
        // Still grown by doubling, not chunk by chunk: few moves for many small chunks.
        let mut small: Vec<u8> = Vec::new();
        let mut moves = 0;
        for _ in 0..10_000 {
            let before = small.capacity();
            grow_within(&mut small, 1, limit);
            small.push(b'x');
            moves += usize::from(small.capacity() != before);
        }
        assert!(moves < 20, "{moves} reallocations");
    }
}
