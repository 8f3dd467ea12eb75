//! Where the proxy listens: a unix socket (mode 0600, in a directory no one else can
//! change; a stale socket of a killed proxy is replaced, a live one is left alone), or a
//! loopback TCP port.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use anyhow::Result;

use super::ProxyArgs;
use crate::credentials::Session;
use crate::error::{Error, Exit};

/// A bound listener.
pub(super) enum Listener {
    #[cfg(unix)]
    Unix(tokio::net::UnixListener, PathBuf),
    Tcp(tokio::net::TcpListener, SocketAddr),
}

/// An accepted connection.
pub(super) enum Stream {
    #[cfg(unix)]
    Unix(tokio::net::UnixStream),
    Tcp(tokio::net::TcpStream),
}

// Either kind of stream is read and written through the one type, so that hyper's server
// is built once into the binary (a generic or boxed stream costs kilobytes more).
impl tokio::io::AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            #[cfg(unix)]
            Stream::Unix(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tcp(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl tokio::io::AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            #[cfg(unix)]
            Stream::Unix(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tcp(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            #[cfg(unix)]
            Stream::Unix(s) => Pin::new(s).poll_flush(cx),
            Stream::Tcp(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            #[cfg(unix)]
            Stream::Unix(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tcp(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}

impl Listener {
    /// The line the proxy prints when it is ready (and `-- COMMAND` gets as SAYMON_PROXY):
    /// the socket's path, or `http://127.0.0.1:PORT`.
    pub(super) fn address_line(&self) -> String {
        match self {
            #[cfg(unix)]
            Listener::Unix(_, path) => path.display().to_string(),
            Listener::Tcp(_, addr) => format!("http://{addr}"),
        }
    }

    pub(super) fn is_tcp(&self) -> bool {
        matches!(self, Listener::Tcp(..))
    }

    pub(super) async fn accept(&self) -> std::io::Result<Stream> {
        match self {
            #[cfg(unix)]
            Listener::Unix(listener, _) => Ok(Stream::Unix(listener.accept().await?.0)),
            Listener::Tcp(listener, _) => Ok(Stream::Tcp(listener.accept().await?.0)),
        }
    }

    /// Remove the socket file (a TCP port needs nothing).
    pub(super) fn remove(&self) {
        #[cfg(unix)]
        if let Listener::Unix(_, path) = self {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Bind what `args` ask: `--listen ADDR` (loopback only), else `--socket PATH`, else
/// `$XDG_RUNTIME_DIR/saymon/<profile>.sock`. Errors: not loopback, or no runtime dir
/// (exit 2); a directory others may change (exit 7); a live proxy on the socket, or a file
/// there that is not a socket (exit 1).
pub(super) fn bind(args: &ProxyArgs, session: &Session<'_>) -> Result<Listener> {
    if let Some(addr) = args.listen {
        return bind_tcp(addr);
    }
    let (path, default) = match &args.socket {
        Some(path) => (std::path::absolute(path).unwrap_or(path.clone()), false),
        None => (default_socket(&session.selected.profile_name)?, true),
    };
    bind_unix(&path, default)
}

fn bind_tcp(addr: SocketAddr) -> Result<Listener> {
    let local = match addr.ip() {
        std::net::IpAddr::V4(ip) => ip == std::net::Ipv4Addr::LOCALHOST,
        std::net::IpAddr::V6(ip) => ip == std::net::Ipv6Addr::LOCALHOST,
    };
    if !local {
        return Err(Error::new(
            Exit::Usage,
            format!(
                "--listen {addr}: the proxy listens on 127.0.0.1 or [::1] only (anyone who reaches it uses the token; a request must name localhost)"
            ),
        )
        .hint("use --listen 127.0.0.1:PORT (or [::1]:PORT), or a unix socket (the default)")
        .into());
    }
    let std = std::net::TcpListener::bind(addr).map_err(|e| {
        Error::new(Exit::Failure, format!("cannot listen on {addr}: {e}"))
            .hint("pick another port, or 0 for a free one")
    })?;
    std.set_nonblocking(true)?;
    let bound = std.local_addr()?;
    Ok(Listener::Tcp(
        tokio::net::TcpListener::from_std(std)?,
        bound,
    ))
}

/// `$XDG_RUNTIME_DIR/saymon/<profile>.sock` (the runtime dir is the user's own, 0700, on
/// systemd systems).
fn default_socket(profile: &str) -> Result<PathBuf> {
    let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) else {
        return Err(Error::new(
            Exit::Usage,
            "XDG_RUNTIME_DIR is not set, so there is no private place for the proxy's socket",
        )
        .hint("pass --socket PATH (in a directory of your own), or --listen 127.0.0.1:0")
        .into());
    };
    // A profile name is letters, digits, '.', '_', '-'; an odd old one is not a file name.
    let name: String = profile
        .chars()
        .map(|c| match c.is_ascii_alphanumeric() || "._-".contains(c) {
            true => c,
            false => '_',
        })
        .collect();
    Ok(PathBuf::from(runtime)
        .join("saymon")
        .join(format!("{name}.sock")))
}

#[cfg(unix)]
fn bind_unix(path: &Path, default: bool) -> Result<Listener> {
    let dir = crate::fsutil::parent(path);
    if default {
        crate::fsutil::ensure_private_dir(dir)?;
    }
    // The directories checked are where the path leads, not how it is spelled: through a
    // symlink of ours, the socket could sit in a directory another user may swap.
    let dir = std::fs::canonicalize(dir).map_err(|e| {
        Error::new(
            Exit::Failure,
            format!("cannot use {} for the socket: {e}", dir.display()),
        )
        .hint("create the directory first (mkdir -m 700 DIR)")
    })?;
    let path = &dir.join(path.file_name().unwrap_or_default());
    let dir = dir.as_path();
    check_dir(path, dir, default)?;
    // sun_path holds 108 bytes, the last a NUL.
    if path.as_os_str().len() > 107 {
        return Err(Error::new(
            Exit::Usage,
            format!(
                "{}: a unix socket's path is at most 107 bytes, this one is {}",
                path.display(),
                path.as_os_str().len()
            ),
        )
        .hint("pass a shorter --socket (the path counts after symlinks are followed)")
        .into());
    }
    clear_stale(path)?;
    // The socket is made 0600 from the start (no moment in which another user could
    // connect): umask is the only way, and nothing else of ours creates files meanwhile.
    let old = rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o177));
    let bound = tokio::net::UnixListener::bind(path);
    rustix::process::umask(old);
    let listener = bound.map_err(|e| {
        Error::new(
            Exit::Failure,
            format!("cannot listen on {}: {e}", path.display()),
        )
        .hint("check the path: its directory must exist and be yours")
    })?;
    Ok(Listener::Unix(listener, path.to_path_buf()))
}

#[cfg(not(unix))]
fn bind_unix(path: &Path, _default: bool) -> Result<Listener> {
    Err(Error::new(
        Exit::Usage,
        format!("{}: unix sockets are not served here", path.display()),
    )
    .hint("use --listen 127.0.0.1:0")
    .into())
}

/// The socket's directory must be ours: the default one private (0700), a given one not
/// writable by others (unless sticky, as /tmp is, where no one else can remove our socket).
#[cfg(unix)]
fn check_dir(path: &Path, dir: &Path, default: bool) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir).map_err(|e| {
        Error::new(
            Exit::Failure,
            format!("cannot use {} for the socket: {e}", dir.display()),
        )
        .hint("create the directory first (mkdir -m 700 DIR)")
    })?;
    let me = rustix::process::geteuid().as_raw();
    let mode = meta.mode() & 0o7777;
    // root's own (/tmp, sticky) is no other user's, but the default place must be ours.
    let foreign = meta.uid() != me && (default || meta.uid() != 0);
    let problem = if foreign {
        Some(format!("belongs to another user (uid {})", meta.uid()))
    } else if default && mode & 0o077 != 0 {
        Some(format!("is not private (mode {:03o})", mode & 0o777))
    } else if mode & 0o022 != 0 && mode & 0o1000 == 0 {
        Some(format!(
            "may be written by others (mode {:03o})",
            mode & 0o777
        ))
    } else {
        None
    };
    // Every directory above must be as safe: one others may write could have this one
    // renamed away and another put in its place.
    let problem = problem.or_else(|| {
        dir.ancestors().skip(1).find_map(|above| {
            let meta = std::fs::metadata(above).ok()?;
            let mode = meta.mode() & 0o7777;
            let foreign = meta.uid() != me && meta.uid() != 0;
            let shared = mode & 0o022 != 0 && mode & 0o1000 == 0;
            (foreign || shared).then(|| {
                format!(
                    "is inside {}, which {}",
                    above.display(),
                    if foreign {
                        format!("belongs to another user (uid {})", meta.uid())
                    } else {
                        format!("others may write (mode {:03o})", mode & 0o777)
                    }
                )
            })
        })
    });
    match problem {
        None => Ok(()),
        Some(problem) => Err(Error::new(
            Exit::StoreUnusable,
            format!(
                "{}: the directory {} {problem}: another user could reach or replace the proxy's socket",
                path.display(),
                dir.display()
            ),
        )
        .hint(format!(
            "pass --socket PATH in a directory of your own, in directories only you (or root) may change{}",
            if meta.uid() == me {
                format!(" (chmod 700 {})", dir.display())
            } else {
                String::new()
            }
        ))
        .into()),
    }
}

/// A socket left by a killed proxy is removed; one another proxy answers on is not (exit
/// 1, naming it), nor is anything that is not a socket.
#[cfg(unix)]
fn clear_stale(path: &Path) -> Result<()> {
    use std::os::unix::fs::FileTypeExt;
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if !meta.file_type().is_socket() {
        return Err(Error::new(
            Exit::Failure,
            format!("{} exists and is not a socket", path.display()),
        )
        .hint("pass --socket with a path that is free")
        .into());
    }
    match std::os::unix::net::UnixStream::connect(path) {
        Ok(_) => Err(Error::new(
            Exit::Failure,
            format!("another proxy answers on {}", path.display()),
        )
        .hint("stop it first, or pass --socket with another path")
        .into()),
        Err(_) => std::fs::remove_file(path).map_err(|e| {
            Error::new(
                Exit::Failure,
                format!(
                    "cannot replace the socket {} a stopped proxy left: {e}",
                    path.display()
                ),
            )
            .hint("it may be another user's: pass --socket with a path of your own")
            .into()
        }),
    }
}
