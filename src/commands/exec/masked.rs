//! `exec`'s output with the token (and a remembered password) masked: each of the
//! command's stdout and stderr that is not a terminal comes through a pipe, copied by its
//! own thread through a `Masker` as it arrives (order kept per stream, bytes untouched
//! but the secrets). A terminal keeps the command's direct, interactive output.

use std::io::{self, IsTerminal, Read, Write};
use std::process::{ChildStderr, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::mask::Masker;
use crate::secret::Secret;

/// How long a copy may sit waiting for bytes after the command ended before saymon stops
/// waiting for it: only a process the command left running (a daemon) still holds the
/// pipe then, and saymon must not wait for it as a shell does not.
const LINGER: Duration = Duration::from_millis(500);

/// Which of the command's streams are masked.
pub struct Plan {
    secrets: Arc<Vec<Secret>>,
    stdout: bool,
    stderr: bool,
}

impl Plan {
    /// Mask `secrets` in each of stdout and stderr that is not a terminal.
    pub fn new(secrets: Vec<Secret>) -> Plan {
        Plan {
            secrets: Arc::new(secrets),
            stdout: !io::stdout().is_terminal(),
            stderr: !io::stderr().is_terminal(),
        }
    }

    /// Give `command` a pipe for each masked stream.
    pub fn prepare(&self, command: &mut Command) {
        if self.stdout {
            command.stdout(Stdio::piped());
        }
        if self.stderr {
            command.stderr(Stdio::piped());
        }
    }

    /// Start copying the spawned command's pipes.
    pub fn start(&self, stdout: Option<ChildStdout>, stderr: Option<ChildStderr>) -> Copies {
        let mut copies = Vec::new();
        if let Some(pipe) = stdout {
            copies.push(Copying::start(pipe, Sink::Stdout, self.secrets.clone()));
        }
        if let Some(pipe) = stderr {
            copies.push(Copying::start(pipe, Sink::Stderr, self.secrets.clone()));
        }
        Copies(copies)
    }
}

/// The copies in progress.
pub struct Copies(Vec<Copying>);

impl Copies {
    /// After the command ended: wait for each copy to write what is left, unless it has
    /// been waiting for bytes for `LINGER` (a process the command left holds the pipe).
    pub fn finish(self) {
        for copy in self.0 {
            copy.finish();
        }
    }
}

#[derive(Clone, Copy)]
enum Sink {
    Stdout,
    Stderr,
}

struct Copying {
    thread: JoinHandle<()>,
    state: Arc<State>,
}

/// What a copy is doing, for `finish`.
struct State {
    started: Instant,
    done: AtomicBool,
    /// Milliseconds after `started` when the copy began to wait for bytes; 0 while it
    /// writes.
    waiting_since: AtomicU64,
}

impl Copying {
    fn start(pipe: impl Read + Send + 'static, sink: Sink, secrets: Arc<Vec<Secret>>) -> Copying {
        let state = Arc::new(State {
            started: Instant::now(),
            done: AtomicBool::new(false),
            waiting_since: AtomicU64::new(0),
        });
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            copy(pipe, sink, &secrets, &shared);
            shared.done.store(true, Ordering::SeqCst);
        });
        Copying { thread, state }
    }

    fn finish(self) {
        loop {
            if self.state.done.load(Ordering::SeqCst) {
                let _ = self.thread.join();
                return;
            }
            let since = self.state.waiting_since.load(Ordering::SeqCst);
            let now = self.state.started.elapsed().as_millis() as u64;
            if since > 0 && now.saturating_sub(since) >= LINGER.as_millis() as u64 {
                // Left to end with the process: the pipe closes then.
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Copy `pipe` to `sink` through a masker until the pipe ends or the sink cannot take
/// more: then the pipe is closed, and the command's next write fails as it would have
/// on the sink itself (SIGPIPE or EPIPE).
fn copy(mut pipe: impl Read, sink: Sink, secrets: &[Secret], state: &State) {
    let mut masker = Masker::new(secrets.iter().map(|s| s.expose().as_bytes()));
    let mut buf = vec![0u8; 64 << 10];
    let mut out = Vec::with_capacity(buf.len() + 64);
    loop {
        let at = state.started.elapsed().as_millis() as u64;
        state.waiting_since.store(at.max(1), Ordering::SeqCst);
        let n = match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        state.waiting_since.store(0, Ordering::SeqCst);
        out.clear();
        masker.feed(&buf[..n], &mut out);
        if write(sink, &out).is_err() {
            return;
        }
    }
    out.clear();
    masker.finish(&mut out);
    let _ = write(sink, &out);
}

fn write(sink: Sink, bytes: &[u8]) -> io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    match sink {
        Sink::Stdout => {
            let mut stdout = io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()
        }
        Sink::Stderr => io::stderr().lock().write_all(bytes),
    }
}
