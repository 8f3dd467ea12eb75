//! `saymon profile list | use | remove`: the profiles as a table and as JSON, switching the
//! default, and removing a profile with its secrets (and its token on the server).

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use crate::support::*;

/// Two profiles by hand: `prod` (the default, file store, token and password stored) on
/// `server`, and `lab` elsewhere without secrets.
fn two_profiles(env: &Env, server: &FakeSaymon) {
    env.login_plain(server, false, &["--remember-password"]);
    let text = std::fs::read_to_string(env.config_file()).unwrap();
    let text = text
        .replace("[profiles.default]", "[profiles.prod]")
        .replace(
            "default_profile = \"default\"",
            "default_profile = \"prod\"",
        );
    std::fs::write(
        env.config_file(),
        format!("{text}\n[profiles.lab]\nserver = \"https://lab.example:8443\"\n"),
    )
    .unwrap();
}

fn config(env: &Env) -> toml::Table {
    std::fs::read_to_string(env.config_file())
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn list_shows_every_profile_and_marks_the_default() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    env.cmd()
        .args(["profile", "list"])
        .assert()
        .success()
        .stdout("")
        .stderr(contains("No profiles in").and(contains("saymon login --server URL")));
    env.cmd()
        .args(["--output", "json", "profile", "list"])
        .assert()
        .success()
        .stdout("[]\n");
    two_profiles(&env, &server);
    env.cmd()
        .args(["profile", "list"])
        .assert()
        .success()
        .stdout(format!(
            "PROFILE          SERVER                    LOGIN  STORE\n lab             https://lab.example:8443  -      -\n*prod (default)  {:<24}  admin  file\n",
            server.url
        ))
        .stderr("* the profile commands use now (--profile, SAYMON_PROFILE, else the default)\n");
    // `*` is the profile in use, as in status: here the one SAYMON_PROFILE selects.
    env.cmd()
        .env("SAYMON_PROFILE", "lab")
        .args(["profile", "list"])
        .assert()
        .success()
        .stdout(contains("*lab ").and(contains(" prod (default)")));
    // No row marked, no legend.
    env.cmd()
        .args(["--profile", "nope", "profile", "list"])
        .assert()
        .success()
        .stderr("");
    let out = env
        .cmd()
        .args(["--output", "json", "profile", "list"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let list: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        list,
        serde_json::json!([
            {"name": "lab", "server": "https://lab.example:8443", "login": null, "store": null, "default": false},
            {"name": "prod", "server": server.url, "login": "admin", "store": "file", "default": true},
        ])
    );
}

#[test]
fn use_switches_the_default_and_an_unknown_name_is_exit_3() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    two_profiles(&env, &server);
    env.cmd()
        .args(["profile", "use", "labb"])
        .assert()
        .code(3)
        .stderr("saymon: error: there is no profile labb\nhint: the profiles are: lab, prod\n");
    assert_eq!(config(&env)["default_profile"].as_str(), Some("prod"));
    env.cmd()
        .args(["profile", "use", "lab"])
        .assert()
        .success()
        .stdout("")
        .stderr("Profile lab is the default now: commands without --profile use it.\n");
    assert_eq!(config(&env)["default_profile"].as_str(), Some("lab"));
    // The profiles themselves are untouched, and commands follow the new default.
    assert!(config(&env)["profiles"]["prod"]["server"].as_str() == Some(server.url.as_str()));
    env.cmd()
        .args(["token", "print"])
        .assert()
        .code(3)
        .stderr(contains("profile lab"));
    env.cmd()
        .args(["--output", "json", "profile", "use", "prod"])
        .assert()
        .success()
        .stdout("{\"default\":\"prod\"}\n");
    env.cmd().args(["token", "print"]).assert().success();
    // SAYMON_PROFILE wins over any default: said, or `use` would seem to do nothing.
    env.cmd()
        .env("SAYMON_PROFILE", "prod")
        .args(["profile", "use", "lab"])
        .assert()
        .success()
        .stderr(contains(
            "warning: SAYMON_PROFILE selects profile prod in this environment, before the default",
        ));
}

#[test]
fn remove_forgets_the_secrets_then_the_profile_and_names_the_new_default() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    two_profiles(&env, &server);
    let credentials = || std::fs::read_to_string(env.credentials_file()).unwrap();
    assert!(credentials().contains("token") && credentials().contains("password"));
    let token = server.token_of(LOGIN).unwrap();
    // SAYMON_SERVER and SAYMON_TOKEN are for the selected profile: removing `prod` by
    // name still forgets prod's own account, on its own server.
    env.cmd()
        .env("SAYMON_SERVER", "https://elsewhere.example")
        .env("SAYMON_TOKEN", "not-the-stored-token")
        .args(["profile", "remove", "prod"])
        .assert()
        .success()
        .stdout("")
        .stderr(
            "Removed profile prod and its token and password.\nThe default profile is lab now.\n",
        );
    assert!(!credentials().contains("token") && !credentials().contains("password"));
    let after = config(&env);
    assert!(after["profiles"].get("prod").is_none());
    assert_eq!(after["default_profile"].as_str(), Some("lab"));
    // Without --revoke the token still works on the server.
    assert_eq!(server.token_of(LOGIN), Some(token));
    env.cmd()
        .args(["profile", "remove", "prod"])
        .assert()
        .code(3)
        .stderr(contains("there is no profile prod").and(contains("the profiles are: lab")));
    let out = env
        .cmd()
        .args(["--output", "json", "profile", "remove", "lab"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let done: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        done,
        serde_json::json!({"profile": "lab", "revoked": false, "removed_secrets": [], "kept_secrets": null, "left_in_keyring": [], "default": null})
    );
    assert!(config(&env)["profiles"].as_table().unwrap().is_empty());
}

#[test]
fn remove_revoke_deletes_the_token_on_the_server_first() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    two_profiles(&env, &server);
    assert!(server.token_of(LOGIN).is_some());
    env.cmd().args(["profile", "use", "lab"]).assert().success();
    env.cmd()
        .args(["profile", "remove", "prod", "--revoke"])
        .assert()
        .success()
        .stderr(contains("Revoked the token of admin@").and(contains("Removed profile prod")));
    assert_eq!(server.token_of(LOGIN), None);
    assert!(config(&env)["profiles"].get("prod").is_none());
    assert_eq!(config(&env)["default_profile"].as_str(), Some("lab"));

    // A token the server no longer takes: nothing is removed, and the way out is named.
    env.login_plain(&server, false, &["--profile", "again"]);
    let stale = server.token_of(LOGIN).unwrap();
    server.revoke_all();
    env.cmd()
        .args(["profile", "remove", "again", "--revoke"])
        .assert()
        .code(4)
        .stderr(contains("without --revoke"));
    assert!(config(&env)["profiles"].get("again").is_some());
    assert!(
        std::fs::read_to_string(env.credentials_file())
            .unwrap()
            .contains(&stale)
    );
}

#[test]
fn a_store_that_cannot_be_used_keeps_the_profile() {
    let env = Env::new();
    // The keyring store, and no D-Bus: its secrets cannot be forgotten, so the profile
    // (which says where they are) stays.
    env.write_keyring_profile("https://saymon.example", LOGIN);
    env.cmd()
        .args(["profile", "remove", "default"])
        .assert()
        .code(7)
        .stderr(contains("cannot remove profile default"))
        // The hint is about removing the profile, not about logging in.
        .stderr(contains(
            "hint: the profile is kept; run this where the keyring answers (the desktop session), or `saymon profile remove default --keep-secrets` removes the profile and leaves its token in the keyring (account admin@saymon.example)",
        ))
        .stderr(contains("saymon login --store file").not());
    assert!(config(&env)["profiles"].get("default").is_some());
    // --keep-secrets removes the profile, and says what stays where.
    env.cmd()
        .args(["profile", "remove", "default", "--keep-secrets"])
        .assert()
        .success()
        .stderr(
            "Removed profile default.\n\
             Its token (and a remembered password) stay in the keyring, account admin@saymon.example (service saymon): where the keyring answers, `secret-tool clear service saymon username admin@saymon.example` removes the token.\n",
        );
    assert!(
        config(&env)
            .get("profiles")
            .is_none_or(|p| p.get("default").is_none())
    );
}

#[test]
fn remove_keep_secrets_leaves_the_file_store_as_it_is_and_says_so() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    two_profiles(&env, &server);
    let before = std::fs::read_to_string(env.credentials_file()).unwrap();
    env.cmd()
        .args(["profile", "remove", "prod", "--keep-secrets"])
        .assert()
        .success()
        .stderr(contains(format!(
            "Its token (and a remembered password) stay in the file {}, account admin@",
            env.credentials_file().display()
        )));
    assert_eq!(
        std::fs::read_to_string(env.credentials_file()).unwrap(),
        before
    );
    assert!(config(&env)["profiles"].get("prod").is_none());
    let out = env
        .cmd()
        .args([
            "--output",
            "json",
            "profile",
            "remove",
            "lab",
            "--keep-secrets",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["kept_secrets"], Value::Null, "lab stored nothing");
    // --revoke ends the token on the server, which --keep-secrets would keep: both is a
    // usage error.
    env.cmd()
        .args(["profile", "remove", "x", "--keep-secrets", "--revoke"])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
}

#[test]
fn an_empty_profile_name_is_shown_quoted() {
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.config_file(),
        "default_profile = \"\"\n\n[profiles.\"\"]\nserver = \"https://a.example\"\n\n[profiles.b]\nserver = \"https://b.example\"\n",
    )
    .unwrap();
    env.cmd()
        .args(["profile", "use", ""])
        .assert()
        .success()
        .stderr(contains("Profile \"\" is the default now"));
    env.cmd()
        .args(["profile", "remove", ""])
        .assert()
        .success()
        .stderr("Removed profile \"\".\nThe default profile is b now.\n");
    env.cmd()
        .args(["profile", "remove", ""])
        .assert()
        .code(3)
        .stderr(contains("saymon: error: there is no profile \"\"\n"));
}

#[test]
fn profile_names_complete_for_use_and_remove() {
    let env = Env::new();
    let server = FakeSaymon::start_plain();
    two_profiles(&env, &server);
    for command in ["use", "remove"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"))
            .env_clear()
            .env("SAYMON_CONFIG_DIR", env.config_dir())
            .env("COMPLETE", "fish")
            .args(["--", "saymon", "profile", command, ""])
            .output()
            .unwrap();
        assert!(out.status.success());
        // The names first (with their servers), then the flags.
        let text = String::from_utf8(out.stdout).unwrap();
        let names = format!("lab\thttps://lab.example:8443\nprod\t{}\n", server.url);
        assert!(text.starts_with(&names), "{command}: {text}");
    }
}

#[test]
fn remove_keeps_a_token_another_profile_uses_and_revoke_says_why_not() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    two_profiles(&env, &server);
    // A second profile for the same login on the same server: one stored entry.
    let text = std::fs::read_to_string(env.config_file()).unwrap();
    let prod = text[text.find("[profiles.prod]").unwrap()..]
        .split("\n\n")
        .next()
        .unwrap()
        .replace("[profiles.prod]", "[profiles.twin]");
    std::fs::write(env.config_file(), format!("{text}\n{prod}\n")).unwrap();
    env.cmd()
        .args(["profile", "remove", "prod", "--revoke"])
        .assert()
        .code(2)
        .stderr(contains("profile twin uses the same token"));
    assert!(server.token_of(LOGIN).is_some());
    env.cmd()
        .args(["profile", "remove", "prod"])
        .assert()
        .success()
        .stderr(contains("Its token stays: profile twin uses it too."));
    env.cmd()
        .args(["--profile", "twin", "token", "print"])
        .assert()
        .success();
}

#[test]
fn logout_names_the_profiles_that_kept_the_same_token() {
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    two_profiles(&env, &server);
    let text = std::fs::read_to_string(env.config_file()).unwrap();
    let prod = text[text.find("[profiles.prod]").unwrap()..]
        .split("\n\n")
        .next()
        .unwrap()
        .to_string();
    std::fs::write(
        env.config_file(),
        format!(
            "{text}\n{}\n{}\n",
            prod.replace("[profiles.prod]", "[profiles.twin]"),
            prod.replace("[profiles.prod]", "[profiles.zwilling]")
        ),
    )
    .unwrap();
    env.cmd()
        .args(["--profile", "prod", "logout"])
        .assert()
        .success()
        .stderr(contains(
            "Profiles twin, zwilling kept the same token (the same login, server and store) and are logged out too.",
        ));
    for name in ["twin", "zwilling"] {
        env.cmd()
            .args(["--profile", name, "token", "print"])
            .assert()
            .code(3);
    }
    // Nothing removed: nobody else is named.
    let out = env
        .cmd()
        .args(["--output", "json", "--profile", "twin", "logout"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["also_logged_out"], serde_json::json!([]));
}
