//! `api --paginate` against a paged endpoint (250 incidents, at most 100 a page): every
//! item once, in order, within bounds, and a safe stop on a bad or busy server.

use crate::support::*;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;

fn ids(stdout: &[u8]) -> Vec<u64> {
    let value: Value = serde_json::from_slice(stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(stdout)));
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_u64().unwrap())
        .collect()
}

/// The `skip` of each incidents request the server saw.
fn skips(server: &FakeSaymon) -> Vec<(String, String)> {
    server
        .seen()
        .into_iter()
        .filter(|s| s.path == "/node/api/incidents")
        .map(|s| {
            let q: Vec<(String, String)> =
                url::form_urlencoded::parse(s.query.unwrap_or_default().as_bytes())
                    .into_owned()
                    .collect();
            let get = |k: &str| {
                q.iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            (get("limit"), get("skip"))
        })
        .collect()
}

#[test]
fn paginate_gets_every_item_once_in_order() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    let out = env
        .cmd()
        .args(["-v", "api", "incidents", "--paginate"])
        .assert()
        .success()
        .stderr(contains("page 3: limit 100, skip 200"))
        .stderr(contains("api-token=***"))
        .get_output()
        .clone();
    assert_eq!(ids(&out.stdout), (0..250).collect::<Vec<_>>());
    assert_eq!(
        skips(&server),
        [("100", "0"), ("100", "100"), ("100", "200")].map(|(a, b)| (a.into(), b.into()))
    );
    let token = server.token_of(LOGIN).unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains(&token));

    // --page-size 7: 36 pages, the last one short; the other query parameters kept.
    let out = env
        .cmd()
        .args(["api", "incidents?state=1", "--paginate", "--page-size", "7"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(ids(&out.stdout), (0..250).collect::<Vec<_>>());
    let seen = server.seen();
    let last = seen.last().unwrap().query.clone().unwrap();
    assert!(
        last.starts_with("state=1&limit=7&skip=245&api-token="),
        "{last}"
    );

    // A `limit` in the path, or -F limit=, sets the page size; a `skip` where to start.
    let out = env
        .cmd()
        .args(["api", "incidents?limit=50&skip=200", "--paginate"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(ids(&out.stdout), (200..250).collect::<Vec<_>>());
    let out = env
        .cmd()
        .args([
            "api",
            "-X",
            "GET",
            "incidents",
            "-F",
            "limit=25",
            "--paginate",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(ids(&out.stdout).len(), 250);
    assert!(skips(&server).iter().any(|(l, s)| l == "25" && s == "225"));

    // A page throttled (429) is retried, as any GET is: nothing lost, nothing twice.
    server.state.lock().unwrap().throttle = 1;
    let out = env
        .cmd()
        .args(["-v", "api", "incidents", "--paginate"])
        .assert()
        .success()
        .stderr(contains("429 Too Many Requests: retry 1 of 2"))
        .get_output()
        .clone();
    assert_eq!(ids(&out.stdout), (0..250).collect::<Vec<_>>());

    // An exact multiple: one more, empty page ends it.
    server.state.lock().unwrap().incidents = 200;
    let out = env
        .cmd()
        .args(["api", "incidents", "--paginate"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(ids(&out.stdout).len(), 200);
}

#[test]
fn paginate_stops_safely_on_a_bad_server() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    // A server that ignores skip: stopped, not looped; the array so far stays valid.
    server.state.lock().unwrap().ignore_skip = true;
    let out = env
        .cmd()
        .args(["api", "incidents", "--paginate"])
        .assert()
        .code(1)
        .stderr(contains("the server repeats items: it ignores skip"))
        .get_output()
        .clone();
    assert_eq!(ids(&out.stdout), (0..100).collect::<Vec<_>>());
    server.state.lock().unwrap().ignore_skip = false;

    // A failing middle page: the items before it, a closed array, that page's exit code.
    server.state.lock().unwrap().fail_at_skip = Some(100);
    let out = env
        .cmd()
        .args(["api", "incidents", "--paginate"])
        .assert()
        .code(1)
        .stderr(contains("page 2 (skip 100): the server answered 500"))
        .stderr(contains("Database is down."))
        .get_output()
        .clone();
    assert_eq!(ids(&out.stdout), (0..100).collect::<Vec<_>>());
    server.state.lock().unwrap().fail_at_skip = None;

    // Not a list: the error names what came back.
    env.cmd()
        .args(["api", "users/current", "--paginate"])
        .assert()
        .code(1)
        .stderr(contains("page 1 (skip 0) is an object, not a JSON array"))
        .stdout("[]\n");
    // Only GET.
    env.cmd()
        .args(["api", "-X", "POST", "incidents", "--paginate"])
        .assert()
        .code(2)
        .stderr(contains("--paginate is for GET, not POST"));
    // A refused token: exit 4, as api says it.
    env.cmd()
        .env("SAYMON_TOKEN", "tok-revoked")
        .args(["api", "incidents", "--paginate"])
        .assert()
        .code(4);
}

#[test]
fn paginate_memory_is_bounded_by_a_page() {
    // Incidents of 2 KiB in pages of 100 (200 KiB): one page, then 20,000 (40 MiB in all).
    let server = FakeSaymon::start_plain();
    server.state.lock().unwrap().incident_text = 2048;
    let env = Env::new();
    env.login_plain(&server, false, &[]);
    let peak = |incidents: usize| {
        server.state.lock().unwrap().incidents = incidents;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"));
        cmd.env_clear()
            .env("HOME", env.home())
            .env("SAYMON_CONFIG_DIR", env.config_dir())
            .args(["api", "incidents", "--paginate"]);
        let (code, peak_mib, stderr) = run_measured(cmd);
        assert_eq!(code, Some(0), "{stderr}");
        peak_mib
    };
    let (one_page, all) = (peak(100), peak(20_000));
    eprintln!("peak RSS: {one_page} MiB for one page, {all} MiB for 200 pages");
    assert!(
        all < one_page + 10,
        "peak RSS {all} MiB for 40 MiB of items vs {one_page} MiB for one page: pages are not let go"
    );
}

#[test]
fn paginate_stops_when_items_come_again_however_the_pages_look() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    server.state.lock().unwrap().incidents = 1000;
    // Pages that alternate (skip taken modulo 200), and pages stamped anew each answer.
    for (modulo, stamp, ignore) in [(Some(200), false, false), (None, true, true)] {
        {
            let mut shared = server.state.lock().unwrap();
            shared.skip_modulo = modulo;
            shared.stamp = stamp;
            shared.ignore_skip = ignore;
        }
        let out = env
            .cmd()
            .args(["api", "incidents", "--paginate"])
            .assert()
            .code(1)
            .stderr(contains("the server repeats items: it ignores skip"))
            .get_output()
            .clone();
        let got = ids(&out.stdout);
        assert!(got.len() <= 200, "stopped early: {} items", got.len());
        // The same with --jq: nothing half is filtered.
        env.cmd()
            .args(["api", "incidents", "--paginate", "--jq", "length"])
            .assert()
            .code(1)
            .stdout("")
            .stderr(contains("the server repeats items"));
    }
}

#[test]
fn paginate_with_jq_keeps_at_most_max_mib() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    {
        let mut shared = server.state.lock().unwrap();
        shared.incidents = 3000;
        shared.incident_text = 1000;
    }
    env.cmd()
        .args([
            "api",
            "incidents",
            "--paginate",
            "--max-mib",
            "1",
            "--jq",
            "length",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("the pages passed --max-mib 1 MiB"))
        .stderr(contains("hint: raise --max-mib"));
    env.cmd()
        .args([
            "api",
            "incidents",
            "--paginate",
            "--max-mib",
            // The pages (3 MB of text) and the values the filter makes of them, together.
            "16",
            "--jq",
            "length",
        ])
        .assert()
        .success()
        .stdout("3000\n");
}

/// --max-mib bounds the answer --jq keeps and what the filter builds, together: an
/// answer that fits alone, but not with the value the filter makes of it, is refused.
#[test]
fn jq_counts_the_answer_it_keeps_against_max_mib() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    {
        let mut shared = server.state.lock().unwrap();
        shared.incidents = 1;
        shared.incident_text = TEXT;
    }
    const TEXT: usize = 600_000;
    env.cmd()
        .args([
            "api",
            "incidents",
            "--max-mib",
            "1",
            "--jq",
            ".[0].text | length",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("the filter used more than --max-mib (1 MiB)"));
    env.cmd()
        .args([
            "api",
            "incidents",
            "--max-mib",
            "3",
            "--jq",
            ".[0].text | length",
        ])
        .assert()
        .success()
        .stdout(format!("{TEXT}\n"));
}

#[test]
fn paginate_out_of_time_says_the_timeout_covers_the_walk() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    server.state.lock().unwrap().delay = std::time::Duration::from_millis(400);
    env.cmd()
        .args(["--timeout", "1", "api", "incidents", "--paginate"])
        .assert()
        .code(5)
        .stderr(contains(
            "stopped after 2 pages (200 items): --timeout (1 s) covers the whole walk",
        ))
        .stderr(contains("did not answer").not());
}

#[test]
fn paginate_on_a_busy_server_prints_each_item_once_and_warns() {
    let server = FakeSaymon::start();
    let env = Env::logged_in(&server);
    server.state.lock().unwrap().shifting = true;
    let out = env
        .cmd()
        .args(["api", "incidents", "--paginate"])
        .assert()
        .success()
        .stderr(contains("brought 1 items of earlier pages again"))
        .get_output()
        .clone();
    assert_eq!(ids(&out.stdout), (0..250).collect::<Vec<_>>());
    // -F limit is a query parameter with --paginate (a GET), not a POST body.
    server.state.lock().unwrap().shifting = false;
    let out = env
        .cmd()
        .args(["api", "incidents", "--paginate", "-F", "limit=50"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(ids(&out.stdout).len(), 250);
}
