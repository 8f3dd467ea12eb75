//! Several keyring items for one account: another client stored one with an attribute
//! more (keyring-rs 3 adds `target`), which so does not replace saymon's, beside it. Every command
//! says whose they are and which command leaves one; `login` and `logout` remove saymon's
//! own and say what they left.

use super::*;
use predicates::str::contains;

/// The labels of the items of `account` in the service `saymon`, sorted.
fn labels(account: &str) -> Vec<String> {
    let out = secret_tool(
        &["search", "--all", "service", "saymon", "username", account],
        None,
    );
    let mut labels: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("label = ").map(String::from))
        .collect();
    labels.sort();
    labels
}

/// An item for `account` as another client stores it (`extra` attributes beside).
fn store_beside(account: &str, label: &str, secret: &str, extra: &[&str]) {
    let label = format!("--label={label}");
    let mut args = vec!["store", &label, "service", "saymon", "username", account];
    args.extend_from_slice(extra);
    secret_tool(&args, Some(secret));
}

#[test]
#[ignore = "needs a Secret Service: run under .ci/with-keyring with --include-ignored"]
fn an_item_beside_saymons_is_named_and_login_and_logout_remove_only_saymons_own() {
    let server = FakeSaymon::start();
    let env = Env::new();
    let login = || {
        keyring_cmd(&env, &server)
            .env("SAYMON_PASSWORD", PASSWORD)
            .args(["login", "--login", LOGIN, "--store", "keyring"])
            .assert()
    };
    login().success();
    let account = format!("admin@127.0.0.1:{}", server.addr.port());
    let own = format!("saymon token for {account}");
    store_beside(
        &account,
        "from a script",
        "their-token",
        &["target", "default"],
    );
    assert_eq!(labels(&account), ["from a script", own.as_str()]);

    // Every other command: named, with the commands that leave one, and no word of a
    // missing desktop keyring.
    keyring_cmd(&env, &server)
        .arg("whoami")
        .assert()
        .code(7)
        .stderr(contains(format!(
            "the keyring holds 2 items for the token of {account} (service saymon): saymon's own and 1 that another client stored (\"from a script\"); saymon does not guess between them\n"
        )))
        .stderr(contains(format!(
            "hint: `saymon logout` or `saymon login` removes saymon's own and keeps the other client's; `secret-tool clear service saymon username {account}` removes them all\n"
        )))
        .stderr(contains("desktop").not());

    // login: saymon's own goes, before any token is made; the other holds the new one.
    login().success().stderr(contains(format!(
        "Removed saymon's own keyring item for the token of {account}; kept the one that another client stored beside it (\"from a script\"): it holds the new token.\n"
    )));
    assert_eq!(labels(&account), ["from a script"]);
    assert_eq!(secret_tool_lookup(&account), server.token_of(LOGIN));
    keyring_cmd(&env, &server).arg("whoami").assert().success();

    // logout: saymon's own goes, the other stays, and is named with its command.
    secret_tool(&["clear", "service", "saymon", "username", &account], None);
    login().success();
    store_beside(
        &account,
        "from a script",
        "their-token",
        &["target", "default"],
    );
    keyring_cmd(&env, &server)
        .arg("logout")
        .assert()
        .success()
        .stderr(format!(
            "Removed the token of {account} from the keyring (profile default).\n\
             warning: the keyring item that another client stored for the token of {account} stays (\"from a script\"), and saymon reads it as the token while it is the only one: `secret-tool clear service saymon username {account}` removes it\n\
             The token still works on the server until it is replaced or revoked: `saymon logout --revoke` ends it there too.\n"
        ));
    assert_eq!(labels(&account), ["from a script"]);

    // Two of other clients and none of saymon's: login makes no token, logout removes
    // nothing, and both name the command that does.
    store_beside(&account, "another", "x", &["extra", "1"]);
    let made = server.token_creations();
    login()
        .code(7)
        .stderr(contains(format!(
            "the keyring holds 2 items for the token of {account} (service saymon): 2 that other clients stored ("
        )))
        .stderr(contains(format!(
            "hint: none of them is saymon's: `secret-tool clear service saymon username {account}` removes them, then `saymon login` stores a new token"
        )));
    assert_eq!(server.token_creations(), made);
    keyring_cmd(&env, &server)
        .arg("logout")
        .assert()
        .success()
        .stderr(contains(format!(
            "warning: 2 keyring items that other clients stored for the token of {account} stay ("
        )))
        .stderr(contains(format!(
            "Nothing to remove: no token of {account} in the keyring (profile default).\n"
        )));
    assert_eq!(labels(&account), ["another", "from a script"]);
    secret_tool(&["clear", "service", "saymon", "username", &account], None);
}
