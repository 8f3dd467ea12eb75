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

use crate::mask::{MASK, Masker};
use crate::secret::Secret;

/// How long a copy may sit waiting for bytes after the command ended before saymon stops
/// waiting for it: only a process the command left running (a daemon) still holds the
/// pipe then, and saymon must not wait for it as a shell does not.
const LINGER: Duration = Duration::from_millis(500);

/// Which of the command's streams are masked.
pub(super) struct Plan {
    secrets: Arc<Vec<Secret>>,
    stdout: bool,
    stderr: bool,
    /// When stdout and stderr are one file (`2>&1`): the read end of the one pipe both
    /// of the command's streams write to, so that their order stays as it was.
    shared: Option<io::PipeReader>,
}

impl Plan {
    /// Mask `secrets` in each of stdout and stderr that is not a terminal.
    pub(super) fn new(secrets: Vec<Secret>) -> Plan {
        Plan {
            secrets: Arc::new(secrets),
            stdout: !io::stdout().is_terminal(),
            stderr: !io::stderr().is_terminal(),
            shared: None,
        }
    }

    /// Give `command` a pipe for each masked stream, or one for both when they are one
    /// file. Errors: a pipe that cannot be made.
    pub(super) fn prepare(&mut self, command: &mut Command) -> io::Result<()> {
        if self.stdout && self.stderr && same_file() {
            let (reader, writer) = io::pipe()?;
            command.stdout(writer.try_clone()?).stderr(writer);
            self.shared = Some(reader);
            return Ok(());
        }
        if self.stdout {
            command.stdout(Stdio::piped());
        }
        if self.stderr {
            command.stderr(Stdio::piped());
        }
        Ok(())
    }

    /// Start copying the spawned command's pipes.
    pub(super) fn start(
        &mut self,
        stdout: Option<ChildStdout>,
        stderr: Option<ChildStderr>,
    ) -> Copies {
        if let Some(pipe) = self.shared.take() {
            return Copies(vec![Copying::start(
                pipe,
                Sink::Stdout,
                self.secrets.clone(),
            )]);
        }
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
pub(super) struct Copies(Vec<Copying>);

impl Copies {
    /// After the command ended: wait for each copy to write what is left, unless it has
    /// been waiting for bytes for `LINGER` (a process the command left holds the pipe).
    /// Returns the first error writing the command's output (a full disk, a closed
    /// stream), but a reader that went away, which ends the command as without saymon.
    pub(super) fn finish(self) -> Option<io::Error> {
        let mut first = None;
        for copy in self.0 {
            let state = copy.state.clone();
            copy.finish();
            first = first.or(state.failed.lock().unwrap().take());
        }
        first
    }
}

/// Whether saymon's stdout and stderr are one file (the same device and inode), as
/// `2>&1` makes them.
fn same_file() -> bool {
    #[cfg(unix)]
    {
        match (
            rustix::fs::fstat(io::stdout()),
            rustix::fs::fstat(io::stderr()),
        ) {
            (Ok(out), Ok(err)) => out.st_dev == err.st_dev && out.st_ino == err.st_ino,
            _ => false,
        }
    }
    #[cfg(not(unix))]
    false
}

#[derive(Clone, Copy)]
enum Sink {
    Stdout,
    Stderr,
}

struct Copying {
    thread: JoinHandle<()>,
    state: Arc<State>,
    sink: Sink,
}

/// What a copy is doing, for `finish`.
struct State {
    started: Instant,
    done: AtomicBool,
    /// Milliseconds after `started` when the copy began to wait for bytes; 0 while it
    /// writes.
    waiting_since: AtomicU64,
    /// Whether the masker holds bytes back; locked while the copy masks and writes what
    /// it read, so that `finish` sees what was written, and the copy what `finish` did.
    held: std::sync::Mutex<Held>,
    /// Why the sink took no more (not a reader gone away).
    failed: std::sync::Mutex<Option<io::Error>>,
}

impl Copying {
    fn start(pipe: impl Read + Send + 'static, sink: Sink, secrets: Arc<Vec<Secret>>) -> Copying {
        let state = Arc::new(State {
            started: Instant::now(),
            done: AtomicBool::new(false),
            waiting_since: AtomicU64::new(0),
            held: std::sync::Mutex::new(Held::Nothing),
            failed: std::sync::Mutex::new(None),
        });
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            copy(pipe, sink, &secrets, &shared);
            shared.done.store(true, Ordering::SeqCst);
        });
        Copying {
            thread,
            state,
            sink,
        }
    }

    fn finish(self) {
        loop {
            if self.state.done.load(Ordering::SeqCst) {
                let _ = self.thread.join();
                return;
            }
            let since = self.state.waiting_since.load(Ordering::SeqCst);
            let now = self.state.started.elapsed().as_millis() as u64;
            if since > 0
                && now.saturating_sub(since) >= LINGER.as_millis() as u64
                // Not while the copy writes what came meanwhile: it waits again after.
                && let Ok(mut held) = self.state.held.try_lock()
            {
                // Left to end with the process (the pipe closes then). What the masker
                // holds back may be the start of a secret whose rest the process writes
                // later: it is written as one. The copy writes nothing after this.
                if *held == Held::Start {
                    let _ = write(self.sink, MASK);
                }
                *held = Held::Left;
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
        let mut held = state.held.lock().unwrap();
        if *held == Held::Left {
            return;
        }
        out.clear();
        masker.feed(&buf[..n], &mut out);
        if let Err(e) = write(sink, &out) {
            if e.kind() != io::ErrorKind::BrokenPipe {
                *state.failed.lock().unwrap() = Some(e);
            }
            return;
        }
        *held = if masker.held().is_empty() {
            Held::Nothing
        } else {
            Held::Start
        };
    }
    let mut held = state.held.lock().unwrap();
    if *held == Held::Left {
        return;
    }
    out.clear();
    masker.finish(&mut out);
    *held = Held::Nothing;
    let _ = write(sink, &out);
}

/// What a copy holds back, for `finish`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Held {
    /// Nothing: all that came was written.
    Nothing,
    /// Bytes that may start a secret.
    Start,
    /// The copy was left to end with the process: it writes no more.
    Left,
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
