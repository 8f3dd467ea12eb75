//! The session bus as libdbus finds it: a list of addresses in DBUS_SESSION_BUS_ADDRESS
//! tried in order, and `$XDG_RUNTIME_DIR/bus` when the variable is not set.

use super::*;
use predicates::str::contains;

/// The test session's bus address, and the path of its socket.
fn session_bus() -> (String, std::path::PathBuf) {
    let address = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_else(|_| panic!("{NEEDS}"));
    let path = address
        .strip_prefix("unix:path=")
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_else(|| panic!("dbus-run-session's bus is not unix:path=: {address}"));
    (address.clone(), path.into())
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn a_list_of_bus_addresses_is_tried_in_order() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let (bus, _) = session_bus();
    // Nothing at one path; a socket file whose listener is gone at the other.
    let none = env.dir.path().join("no-bus");
    let stale = env.dir.path().join("stale-bus");
    drop(std::os::unix::net::UnixListener::bind(&stale).unwrap());
    let dead = format!("unix:path={};unix:path={}", none.display(), stale.display());
    keyring_cmd(&env, &server)
        .env("DBUS_SESSION_BUS_ADDRESS", format!("{dead};{bus}"))
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "keyring"])
        .assert()
        .success()
        .stderr(contains("token stored in the keyring"));
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    assert_eq!(secret_tool_lookup(&account), server.token_of(LOGIN));
    // The first answers: the rest is never tried.
    keyring_cmd(&env, &server)
        .env("DBUS_SESSION_BUS_ADDRESS", format!("{bus};{dead}"))
        .arg("whoami")
        .assert()
        .success();
    // None answers: exit 7 at once, saying so.
    keyring_cmd(&env, &server)
        .env("DBUS_SESSION_BUS_ADDRESS", &dead)
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains(
            "the keyring cannot be reached: none of the 2 addresses in DBUS_SESSION_BUS_ADDRESS accepts a connection (tried in order)",
        ));
    keyring_cmd(&env, &server)
        .env("DBUS_SESSION_BUS_ADDRESS", format!("{dead};{bus}"))
        .arg("logout")
        .assert()
        .success();
    assert_eq!(secret_tool_lookup(&account), None);
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn without_the_variable_the_bus_in_xdg_runtime_dir_is_used() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let (_, socket) = session_bus();
    // A runtime dir whose `bus` is the test session's socket, as systemd's user bus is.
    let runtime = env.dir.path().join("runtime");
    std::fs::create_dir(&runtime).unwrap();
    std::os::unix::fs::symlink(&socket, runtime.join("bus")).unwrap();
    // No DBUS_SESSION_BUS_ADDRESS (env.at clears the environment).
    let at = |runtime: &std::path::Path| {
        let mut cmd = env.at(&server);
        cmd.env("XDG_RUNTIME_DIR", runtime);
        cmd
    };
    at(&runtime)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "keyring"])
        .assert()
        .success()
        .stderr(contains("token stored in the keyring"));
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    assert_eq!(secret_tool_lookup(&account), server.token_of(LOGIN));
    at(&runtime).arg("whoami").assert().success();
    // A runtime dir without a bus: no D-Bus session, at once.
    at(env.dir.path())
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains(
            "the keyring cannot be reached: there is no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set, and there is no $XDG_RUNTIME_DIR/bus)",
        ));
    at(&runtime).arg("logout").assert().success();
    assert_eq!(secret_tool_lookup(&account), None);
}
