//! `saymon proxy`: the profile's SAYMON API served on a private unix socket (or a loopback
//! TCP port), each request forwarded with the profile's token added, so that scripts and
//! dashboards never hold the token. hyper serves (HTTP/1, its own parser), reqwest forwards
//! through the profile's client (TLS, pins, proxies, `--timeout`), bodies stream both ways.
//!
//! What a client can do: call `/node/api/…` as the profile's user (only GET and HEAD with
//! `--read-only`). What it cannot: read the token (it is masked in every answer: a
//! `users/current` answer's `authenticationToken` is `***`), send credentials of its own
//! (`api-token`/`auth-token` in the query, `Authorization` and `Cookie` are removed), reach
//! another path or server, or, over TCP, come from a web page (a request with `Origin`, or
//! whose `Host` is not localhost, is refused: DNS rebinding).

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use clap::Args;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use hyper_util::rt::TokioIo;
use tokio_io_timeout::TimeoutStream;

use crate::credentials::Session;

mod body;
mod forward;
mod listen;
mod log;
mod refresh;

use forward::Proxy;
use listen::{Listener, Stream};

#[derive(Debug, Args)]
pub struct ProxyArgs {
    /// Serve on this unix socket (mode 0600, in a directory of your own) [default:
    /// $XDG_RUNTIME_DIR/saymon/PROFILE.sock]
    #[arg(long, value_name = "PATH", conflicts_with = "listen")]
    pub socket: Option<PathBuf>,

    /// Serve over TCP on this loopback address instead (127.0.0.1:PORT or [::1]:PORT; port
    /// 0 picks a free one): only requests for localhost and without Origin are served
    #[arg(long, value_name = "ADDR", value_parser = loopback_address)]
    pub listen: Option<SocketAddr>,

    /// Forward only GET and HEAD; any other method is refused (403) before it reaches the
    /// server
    #[arg(long)]
    pub read_only: bool,

    /// The most requests served at once; one more is answered 503 at once. A client that
    /// leaves its answer unread, or stops sending its body, for --timeout loses its place
    #[arg(long, value_name = "N", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub max_requests: u32,

    /// A command to run against the proxy, after `--`: it gets SAYMON_PROXY (the line the
    /// proxy prints) and no token; the proxy stops when it exits, with its exit code
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

/// `--listen`'s value: an IP address and a port (a name such as localhost is not one).
fn loopback_address(text: &str) -> Result<SocketAddr, String> {
    text.parse().map_err(|_| {
        format!("{text:?} is not an address and port: give 127.0.0.1:PORT or [::1]:PORT (port 0 picks a free one)")
    })
}

/// How long requests in flight may take to finish once the proxy is told to stop.
const DRAIN: Duration = Duration::from_secs(10);

/// The most a request's head may take in the proxy's memory (hyper's default is ~400
/// KiB: 256 slow heads would hold 100 MB); a SAYMON request's head is a few KiB.
const HEAD_MAX: usize = 64 << 10;

/// How long a client may take to send a request's head.
const HEAD_WAIT: Duration = Duration::from_secs(30);

/// Serve until SIGTERM or Ctrl-C (exit 0), or until `-- COMMAND` exits (its exit code).
/// Errors: no token or server (exit 3, 2), a socket whose directory others may use (7), a
/// live proxy already on the socket (1), an address that is not loopback (2).
pub(crate) async fn run(args: &ProxyArgs, session: &Session<'_>) -> Result<()> {
    let server = session.selected.require_server()?;
    let (token, source) = session.token()?;
    let client = session.connect().proxy_client(&server)?;
    let mut signals = Signals::new()?;
    let listener = listen::bind(args, session)?;
    let line = listener.address_line();
    let proxy = Proxy::new(session, client, token, source, args, listener.is_tcp());
    let mut child = match args.command.split_first() {
        // The command gets the line as SAYMON_PROXY; stdout is its own.
        Some((program, rest)) => match spawn(program, rest, &line) {
            Ok(child) => Some(child),
            Err(e) => {
                listener.remove();
                return Err(e);
            }
        },
        None => {
            // The line a script reads: where to send requests, once the proxy answers.
            if let Err(e) = session.out.result(&line) {
                listener.remove();
                return Err(e.into());
            }
            None
        }
    };
    let stopped = async {
        match child.take() {
            // std's wait blocks: a thread of its own waits, this one serves meanwhile. A
            // SIGTERM or Ctrl-C for the proxy is passed on to the command, which ends it.
            Some(mut child) => {
                let pid = child.id();
                let (done, exited) = tokio::sync::oneshot::channel();
                std::thread::spawn(move || {
                    let _ = done.send(child.wait());
                });
                tokio::pin!(exited);
                let mut passed_on = false;
                loop {
                    tokio::select! {
                        status = &mut exited => {
                            break Stop::Command(status.unwrap_or_else(|_| {
                                Err(std::io::Error::other("the command's waiting thread ended"))
                            }));
                        }
                        signalled = stop_signal(&mut signals), if !passed_on => {
                            passed_on = true;
                            if signalled.is_ok() {
                                terminate(pid);
                            }
                        }
                    }
                }
            }
            None => Stop::Signal(stop_signal(&mut signals).await),
        }
    };
    // `serve` removed the socket before the requests in flight finished: removing it again
    // now could take away the socket of a proxy started meanwhile.
    let served = serve(&listener, &proxy, stopped).await;
    match served {
        Stop::Signal(Ok(())) => Ok(()),
        Stop::Signal(Err(e)) => Err(e),
        Stop::Command(status) => super::exec::command_exit(status?),
    }
}

/// Why the proxy stopped.
enum Stop {
    /// SIGTERM or Ctrl-C (or the error of listening for them).
    Signal(Result<()>),
    /// `-- COMMAND` exited.
    Command(std::io::Result<std::process::ExitStatus>),
}

/// Accept connections and serve each (HTTP/1, keep-alive) until `stopped`; then stop
/// accepting and let the requests in flight finish, for at most `DRAIN`.
async fn serve(
    listener: &Listener,
    proxy: &Proxy<'_, '_>,
    stopped: impl std::future::Future<Output = Stop>,
) -> Stop {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    // A client that never finishes its request head is let go: an idle one holds nothing.
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEAD_WAIT)
        .max_buf_size(HEAD_MAX);
    // A connection past the most held: its request is answered 503 (the head read within
    // a second, no keep-alive), then it is closed.
    let mut refusing = hyper::server::conn::http1::Builder::new();
    refusing
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(Duration::from_secs(1))
        .max_buf_size(HEAD_MAX)
        .keep_alive(false);
    let stall = proxy.stall();
    // One connection type for both (hyper's server made once in the binary, not twice).
    let serve = |stream: Stream, http: &hyper::server::conn::http1::Builder, busy: bool| {
        let service = hyper::service::service_fn(move |request| proxy.handle(request, busy));
        graceful.watch(http.serve_connection(unstalled(stream, stall), service))
    };
    let most = proxy.most_connections();
    let mut warned = false;
    let mut connections = FuturesUnordered::new();
    let mut turned_away = FuturesUnordered::new();
    tokio::pin!(stopped);
    let why = loop {
        tokio::select! {
            why = &mut stopped => break why,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok(stream) => stream,
                    Err(e) => {
                        // Out of descriptors, say: the next accept may work. Said once.
                        if !warned {
                            proxy.log().warn(&format!("cannot accept a connection: {e}"));
                            warned = true;
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                warned = false;
                if connections.len() >= most {
                    // As many connections as requests may be served, four times over: one
                    // more is told 503 and closed (idle ones must not starve the rest
                    // unseen); when even those pile up, closed at once.
                    if turned_away.len() < most {
                        turned_away.push(serve(stream, &refusing, true));
                    }
                    continue;
                }
                connections.push(serve(stream, &http, false));
            }
            Some(_) = connections.next(), if !connections.is_empty() => {}
            Some(_) = turned_away.next(), if !turned_away.is_empty() => {}
        }
    };
    // New clients are refused at once (no socket to connect to) while these finish.
    listener.remove();
    let drained = async {
        tokio::join!(graceful.shutdown(), async {
            while connections.next().await.is_some() {}
        })
    };
    if tokio::time::timeout(DRAIN, drained).await.is_err() {
        proxy.log().warn(&format!(
            "stopped with requests still in flight after {} s",
            DRAIN.as_secs()
        ));
    }
    why
}

/// A client's connection that ends when the client leaves what the proxy writes unread
/// for `stall`: a client that never reads its answer would otherwise hold its place among
/// the `--max-requests` for ever. (Reads get no such limit: the proxy waits on the client
/// while the server takes its time, and an idle keep-alive connection holds no place.)
fn unstalled(
    stream: Stream,
    stall: Duration,
) -> TokioIo<std::pin::Pin<Box<TimeoutStream<Stream>>>> {
    let mut stream = TimeoutStream::new(stream);
    stream.set_write_timeout(Some(stall));
    TokioIo::new(Box::pin(stream))
}

/// SIGTERM or SIGINT (Ctrl-C), whichever comes first.
async fn stop_signal(signals: &mut Signals) -> Result<()> {
    #[cfg(unix)]
    {
        tokio::select! {
            _ = signals.term.recv() => {}
            _ = signals.int.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = signals;
        tokio::signal::ctrl_c().await?;
        Ok(())
    }
}

/// SIGTERM and SIGINT, taken over before the socket exists: one that comes as the proxy
/// starts stops it as any other does (the socket removed), not by the default action.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                term: signal(SignalKind::terminate())?,
                int: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }
}

/// Ask the command `pid` to end (SIGTERM), as the proxy was asked.
fn terminate(pid: u32) {
    #[cfg(unix)]
    if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// Start `-- COMMAND` with SAYMON_PROXY set to `line`, and nothing in its environment that
/// holds or leads to the token or the password.
fn spawn(program: &OsString, rest: &[OsString], line: &str) -> Result<std::process::Child> {
    let mut command = std::process::Command::new(program);
    command
        .args(rest)
        .env("SAYMON_PROXY", line)
        .env_remove("SAYMON_TOKEN")
        .env_remove("SAYMON_TOKEN_FILE")
        .env_remove("SAYMON_PASSWORD")
        .env_remove("SAYMON_PASSWORD_FILE")
        // systemd's credentials: the unit's token or password would be the command's.
        .env_remove("CREDENTIALS_DIRECTORY");
    command
        .spawn()
        .map_err(|e| super::exec::cannot_run(program, &e))
}
