//! `status` over a fleet of profiles: every server asked at once (a bounded number), the
//! order kept, and the profiles asked for judged.

use crate::support::*;
use predicates::str::contains;
use serde_json::Value;

/// `count` more profiles `p00`, `p01`, … beside `default`, all logged in to `server`.
fn fleet(server: &FakeSaymon, count: usize) -> Env {
    let env = Env::logged_in(server);
    let mut config = std::fs::read_to_string(env.config_file()).unwrap();
    for i in 0..count {
        config.push_str(&format!(
            "\n[profiles.p{i:02}]\nserver = \"{}\"\nlogin = \"{LOGIN}\"\nuser_id = \"{USER_ID}\"\nstore = \"file\"\nca_cert = \"{}\"\n",
            server.url,
            server.ca_file.display()
        ));
    }
    std::fs::write(env.config_file(), config).unwrap();
    env
}

#[test]
fn status_asks_every_server_at_once_in_a_bounded_number_and_keeps_the_order() {
    let server = FakeSaymon::start();
    // 41 profiles: more than the 32 asked at once.
    let env = fleet(&server, 40);
    server.state.lock().unwrap().delay = std::time::Duration::from_millis(200);
    let out = env
        .cmd()
        .arg("status")
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let max = server.state.lock().unwrap().max_in_flight;
    assert!(
        (2..=32).contains(&max),
        "{max} requests at once: checks must overlap, 32 at most"
    );
    // In the profiles' order, each with its answer time.
    let names: Vec<&str> = stdout
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap().trim_start_matches('*'))
        .collect();
    let mut expected = vec!["default".to_string()];
    expected.extend((0..40).map(|i| format!("p{i:02}")));
    assert_eq!(names, expected, "{stdout}");
    assert!(stdout.lines().next().unwrap().contains("ANSWER"));
    for line in stdout.lines().skip(1).take(41) {
        let ms: u64 = line
            .split("  ")
            .map(str::trim)
            .find_map(|cell| cell.strip_suffix(" ms"))
            .unwrap_or_else(|| panic!("no answer time: {line}"))
            .parse()
            .unwrap();
        assert!(ms >= 200, "{line}");
    }
    let json: Value = serde_json::from_slice(
        &env.cmd()
            .args(["status", "--output", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .unwrap();
    assert!(json["profiles"][20]["answer_ms"].as_u64().unwrap() >= 200);
}

#[test]
fn status_checks_the_profiles_asked_for_and_all_ok_judges_them_all() {
    let server = FakeSaymon::start();
    let env = fleet(&server, 3);
    // Several --profile, or a glob: only those are checked.
    let checked = |args: &[&str]| -> Vec<String> {
        let out = env
            .cmd()
            .args(["status", "--output", "json"])
            .args(args)
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        checked(&["--profile", "p00", "--profile", "p02"]),
        ["p00", "p02"]
    );
    assert_eq!(checked(&["--profile", "p0*"]), ["p00", "p01", "p02"]);
    assert_eq!(checked(&[]).len(), 4);
    env.cmd()
        .args(["status", "--profile", "nope-*"])
        .assert()
        .code(3)
        .stderr(contains("no profile matches --profile nope-*"));
    // Another command takes one profile.
    env.cmd()
        .args(["whoami", "--profile", "p00", "--profile", "p01"])
        .assert()
        .code(2)
        .stderr(contains("only status takes several"));

    // One profile with a dead token: the selected one decides, unless --all-ok.
    let config = std::fs::read_to_string(env.config_file()).unwrap();
    std::fs::write(
        env.config_file(),
        config.replace(
            &format!(
                "[profiles.p01]\nserver = \"{}\"\nlogin = \"{LOGIN}\"",
                server.url
            ),
            &format!(
                "[profiles.p01]\nserver = \"{}\"\nlogin = \"nobody\"",
                server.url
            ),
        ),
    )
    .unwrap();
    env.cmd().arg("status").assert().success();
    env.cmd()
        .args(["status", "--all-ok"])
        .assert()
        .code(3)
        .stderr(contains("the token of profile p01 is missing"));
    env.cmd()
        .args(["status", "--profile", "p0*"])
        .assert()
        .code(3);
}
