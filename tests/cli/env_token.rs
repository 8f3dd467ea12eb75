//! A SAYMON_TOKEN the server refuses may never have worked (a CI secret of another server,
//! mistyped): it is said to be SAYMON_TOKEN, with the CI secret to check, and never sends
//! anyone to `login` or `token refresh`, which would kill the stored token that works
//! while the variable still wins.

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::*;

const WRONG: &str = "0b5e1c2d-not-this-servers-token";

#[test]
fn a_refused_saymon_token_is_named_with_its_fix_and_no_login_or_refresh() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let with_wrong = |args: &[&str]| {
        let mut cmd = env.at(&server);
        cmd.env("SAYMON_TOKEN", WRONG)
            .env("SAYMON_PASSWORD", PASSWORD)
            .args(args);
        cmd
    };
    let said = "SAYMON_TOKEN was refused (not a token of this server, mistyped, replaced or revoked): check the CI secret";
    for args in [&["whoami"][..], &["status"], &["api", "objects"]] {
        with_wrong(args)
            .assert()
            .code(4)
            .stderr(contains(said))
            .stderr(contains("saymon login").not())
            .stderr(contains("token refresh").not())
            .stderr(contains(WRONG).not());
    }
    // doctor's token line names the source, as whoami and status do.
    with_wrong(&["doctor"])
        .assert()
        .code(4)
        .stdout(contains(
            "the token of SAYMON_TOKEN (environment) was refused",
        ))
        .stdout(contains(said))
        .stdout(contains("saymon login").not())
        .stdout(contains("token refresh").not())
        .stdout(contains(WRONG).not());
    // The stored token, untouched, still works.
    env.at(&server).arg("whoami").assert().success();
}
