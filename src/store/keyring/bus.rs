//! Which D-Bus session bus the Secret Service is reached on, decided as libdbus and sd-bus
//! decide it. `DBUS_SESSION_BUS_ADDRESS` may list several addresses separated by `;`
//! (the D-Bus specification): they are tried in order, and the first that accepts a
//! connection is the bus. Without the variable, `$XDG_RUNTIME_DIR/bus` is, when it is a
//! socket of this user's.
//!
//! zbus, under the Secret Service store, reads one address from the variable (or uses
//! `$XDG_RUNTIME_DIR/bus`) and takes no list: so a list is settled to its first address
//! that accepts a connection, once, at start-up (`settle`), and zbus finds that one.
//! Each address is parsed by zbus itself.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;

use zbus::address::transport::{Transport, UnixSocket};

const VAR: &str = "DBUS_SESSION_BUS_ADDRESS";

/// Why a list of addresses was not settled (none accepts a connection), for `reachable`.
static UNSETTLED: OnceLock<String> = OnceLock::new();

/// Settle a list of addresses in `DBUS_SESSION_BUS_ADDRESS` to its first that accepts a
/// connection, so that the keyring's connection (and a command `exec` runs) uses that
/// one; a list none of whose addresses does is left as it is, and `reachable` says so.
/// A single address, or none, is left alone. Each unix socket is tried with one
/// non-blocking connect (closed at once); other transports (tcp) are taken as they come,
/// and tried by zbus under the keyring's deadline.
///
/// # Safety
///
/// It may set an environment variable: call it before any other thread starts (first
/// thing in `main`), when nothing can read the environment at the same time.
pub(crate) unsafe fn settle() {
    let Ok(list) = std::env::var(VAR) else {
        return;
    };
    if !list.contains(';') {
        return;
    }
    match first_accepting(&list, accepts) {
        // SAFETY: the caller promises that no other thread runs yet.
        Ok(address) => unsafe { std::env::set_var(VAR, address) },
        Err(why) => {
            let _ = UNSETTLED.set(why);
        }
    }
}

/// Whether a session bus can be reached, judged at once without connecting: an address
/// in `DBUS_SESSION_BUS_ADDRESS`, or `$XDG_RUNTIME_DIR/bus`. `Err` says why not.
pub(super) fn reachable() -> Result<(), String> {
    match std::env::var_os(VAR) {
        Some(value) if !value.is_empty() => {
            if value.as_encoded_bytes().contains(&b';') {
                return Err(UNSETTLED.get().cloned().unwrap_or_else(|| {
                    format!("{VAR} lists several addresses, and none was chosen")
                }));
            }
            Ok(())
        }
        _ if runtime_dir_bus().is_some() => Ok(()),
        _ => Err(format!(
            "there is no D-Bus session ({VAR} is not set, and there is no $XDG_RUNTIME_DIR/bus)"
        )),
    }
}

/// `$XDG_RUNTIME_DIR/bus` when it is a socket that this user owns (as libdbus checks it).
fn runtime_dir_bus() -> Option<PathBuf> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let dir = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty())?;
    let bus = PathBuf::from(dir).join("bus");
    let meta = std::fs::metadata(&bus).ok()?;
    (meta.file_type().is_socket() && meta.uid() == rustix::process::getuid().as_raw())
        .then_some(bus)
}

/// The first address of `list` that zbus can parse and `accepts`, as the text it has in
/// the list; else why there is none.
fn first_accepting(list: &str, accepts: impl Fn(&zbus::Address) -> bool) -> Result<&str, String> {
    let addresses: Vec<&str> = list.split(';').filter(|a| !a.is_empty()).collect();
    for address in &addresses {
        if let Ok(parsed) = zbus::Address::from_str(address)
            && accepts(&parsed)
        {
            return Ok(address);
        }
    }
    Err(format!(
        "none of the {} addresses in {VAR} accepts a connection (tried in order)",
        addresses.len()
    ))
}

/// Whether `address` may be the bus: a unix socket that accepts a connection (a listener
/// too busy to accept at once counts), or another transport, which zbus tries itself.
/// `dir=` and `tmpdir=` are addresses to listen on, not to connect to.
fn accepts(address: &zbus::Address) -> bool {
    use rustix::net::SocketAddrUnix;
    let socket = match address.transport() {
        Transport::Unix(unix) => match unix.path() {
            UnixSocket::File(path) => SocketAddrUnix::new(path.as_path()),
            #[cfg(target_os = "linux")]
            UnixSocket::Abstract(name) => {
                SocketAddrUnix::new_abstract_name(name.as_encoded_bytes())
            }
            _ => return false,
        },
        _ => return true,
    };
    socket.is_ok_and(|socket| connects(&socket))
}

/// One non-blocking connect to a unix socket, closed at once: it never waits.
fn connects(socket: &rustix::net::SocketAddrUnix) -> bool {
    use rustix::io::Errno;
    use rustix::net::{AddressFamily, SocketFlags, SocketType};
    let Ok(fd) = rustix::net::socket_with(
        AddressFamily::UNIX,
        SocketType::STREAM,
        SocketFlags::NONBLOCK | SocketFlags::CLOEXEC,
        None,
    ) else {
        return false;
    };
    match rustix::net::connect(&fd, socket) {
        Ok(()) => true,
        Err(e) => e == Errno::AGAIN || e == Errno::INPROGRESS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts the addresses whose text `ok` names.
    fn only<'a>(ok: &'a [&'a str]) -> impl Fn(&zbus::Address) -> bool + 'a {
        move |a| ok.iter().any(|o| zbus::Address::from_str(o).unwrap() == *a)
    }

    #[test]
    fn a_list_is_tried_in_order_and_the_first_that_accepts_wins() {
        let list = "unix:path=/run/a;unix:path=/run/b,guid=0123456789abcdef0123456789abcdef;tcp:host=h,port=1";
        assert_eq!(
            first_accepting(list, only(&["unix:path=/run/a"])),
            Ok("unix:path=/run/a")
        );
        assert_eq!(
            first_accepting(
                list,
                only(&["unix:path=/run/b,guid=0123456789abcdef0123456789abcdef"])
            ),
            Ok("unix:path=/run/b,guid=0123456789abcdef0123456789abcdef")
        );
        assert_eq!(
            first_accepting(list, only(&["tcp:host=h,port=1", "unix:path=/run/a"])),
            Ok("unix:path=/run/a")
        );
        assert_eq!(
            first_accepting(list, |_| false),
            Err("none of the 3 addresses in DBUS_SESSION_BUS_ADDRESS accepts a connection (tried in order)".into())
        );
    }

    #[test]
    fn what_zbus_cannot_parse_is_passed_over_and_empty_entries_do_not_count() {
        assert_eq!(
            first_accepting("nonsense;;unix:path=/run/b;", |_| true),
            Ok("unix:path=/run/b")
        );
        assert!(first_accepting("nonsense;also-not", |_| true).is_err());
    }

    #[test]
    fn an_escaped_semicolon_does_not_split_the_list() {
        // `%3b` is a `;` inside a value: the list is split on the raw ones only.
        let list = "unix:path=/tmp/a%3bb;unix:path=/run/c";
        let wanted = zbus::Address::from_str("unix:path=/tmp/a%3bb").unwrap();
        assert_eq!(
            first_accepting(list, |a| *a == wanted),
            Ok("unix:path=/tmp/a%3bb")
        );
    }

    #[test]
    fn a_unix_socket_accepts_only_while_something_listens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bus");
        let address = zbus::Address::from_str(&format!("unix:path={}", path.display())).unwrap();
        assert!(!accepts(&address), "no socket at all");
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert!(accepts(&address), "a listening socket");
        drop(listener);
        assert!(!accepts(&address), "a socket file left behind");
        let dir_address =
            zbus::Address::from_str(&format!("unix:dir={}", dir.path().display())).unwrap();
        assert!(!accepts(&dir_address), "an address to listen on");
    }
}
