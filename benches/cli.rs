//! `cargo bench`: how long saymon's commands take, end to end, against the in-process fake
//! server on 127.0.0.1, and how fast and lean `api` streams a large body. Run it under
//! `.ci/with-keyring` to include the keyring store. It measures and reports; it asserts
//! nothing (performance is judged by reading these numbers, not by a timed test).

// The tests' support module; the one `mod.rs` left, because a module loaded by `#[path]`
// finds its children beside a `mod.rs` only.
#[path = "../tests/cli/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::*;

const RUNS: usize = 30;

fn main() {
    // `cargo bench -- --bench` passes flags; there are none to honour.
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let token = server.token_of(LOGIN).unwrap();
    println!(
        "{:<44} {:>9} {:>9} {:>9}",
        "command", "min ms", "median", "max"
    );

    time("token print (file store, no network)", || {
        env.cmd().args(["token", "print"]).output().unwrap()
    });
    time("whoami (file store, HTTPS)", || {
        env.cmd().arg("whoami").output().unwrap()
    });
    time("whoami (SAYMON_TOKEN, HTTPS)", || {
        env.at(&server)
            .env("SAYMON_TOKEN", &token)
            .arg("whoami")
            .output()
            .unwrap()
    });
    time("api objects (file store, HTTPS)", || {
        env.cmd().args(["api", "objects"]).output().unwrap()
    });
    time("curl users/current (for comparison)", || {
        Command::new("curl")
            .args(["-fsS", "--cacert"])
            .arg(&server.ca_file)
            .arg(format!(
                "{}/node/api/users/current?api-token={token}",
                server.url
            ))
            .output()
            .unwrap_or_else(|_| std::process::Output {
                status: Default::default(),
                stdout: Vec::new(),
                stderr: b"curl not installed".to_vec(),
            })
    });
    keyring(&server);
    stream(512 << 20);
    fleet();
    paginate(10_000);
    exec_output(100 << 20);
}

/// `exec` passing 100 MB of a command's output to a pipe: the command alone, through
/// `exec --no-mask` (the pipe is the command's own), and through `exec`'s masking (every
/// byte copied and searched for the token). Five runs each, the median.
fn exec_output(size: usize) {
    let env = Env::new();
    let dir = env.dir.path();
    // Every byte value, in a pattern that never forms the token: the worst case is no
    // case here, as the search is memchr's.
    let data: Vec<u8> = (0..size)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(dir.join("data"), data).unwrap();
    let script = "cat data; cat data";
    let run = |command: &[&str]| -> f64 {
        let mut times = Vec::new();
        for _ in 0..5 {
            let mut cmd = Command::new(command[0]);
            cmd.args(&command[1..])
                .current_dir(dir)
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("SAYMON_CONFIG_DIR", env.config_dir())
                .env("SAYMON_SERVER", "https://saymon.example")
                .env("SAYMON_TOKEN", "a5f946dc-4c21-4ccd-b78b-f0a5fce94f4d")
                .stdout(std::process::Stdio::piped());
            let started = Instant::now();
            let mut child = cmd.spawn().unwrap();
            let mut out = child.stdout.take().unwrap();
            let copied = std::io::copy(&mut out, &mut std::io::sink()).unwrap();
            assert!(child.wait().unwrap().success());
            assert_eq!(copied as usize, 2 * size);
            times.push(started.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        times[2] * 1000.0
    };
    // Each run reads the file (from the page cache) twice.
    let saymon = env!("CARGO_BIN_EXE_saymon");
    let direct = run(&["sh", "-c", script]);
    let unmasked = run(&[saymon, "exec", "--no-mask", "--", "sh", "-c", script]);
    let masked = run(&[saymon, "exec", "--", "sh", "-c", script]);
    println!(
        "exec, {} MiB of output to a pipe (median of 5): the command alone {direct:.0} ms, exec --no-mask {unmasked:.0} ms, exec masking {masked:.0} ms",
        (2 * size) >> 20
    );
}

/// `status` over 50 profiles whose server takes 200 ms to answer each request.
fn fleet() {
    let server = FakeSaymon::start();
    let env = Env::new();
    env.login_file(&server);
    let mut config = std::fs::read_to_string(env.config_file()).unwrap();
    for i in 1..50 {
        config.push_str(&format!(
            "\n[profiles.p{i:02}]\nserver = \"{}\"\nlogin = \"{LOGIN}\"\nuser_id = \"{USER_ID}\"\nstore = \"file\"\nca_cert = \"{}\"\n",
            server.url,
            server.ca_file.display()
        ));
    }
    std::fs::write(env.config_file(), config).unwrap();
    server.state.lock().unwrap().delay = Duration::from_millis(200);
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let out = env.cmd().arg("status").output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "status, 50 profiles, 200 ms server delay: median {:.0} ms of 5 runs (one after another: {} ms)",
        times[2].as_secs_f64() * 1000.0,
        50 * 200
    );
}

/// `api --paginate` over `count` incidents of 200 bytes, 100 a page: time and peak memory.
fn paginate(count: usize) {
    let server = FakeSaymon::start_plain();
    {
        let mut state = server.state.lock().unwrap();
        state.incidents = count;
        state.incident_text = 200;
    }
    let env = Env::new();
    env.login_plain(&server, false, &[]);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_saymon"));
    cmd.env_clear()
        .env("HOME", env.home())
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .args(["api", "incidents", "--paginate"]);
    let started = Instant::now();
    let (code, peak_mib, stderr) = run_measured(cmd);
    assert_eq!(code, Some(0), "{stderr}");
    println!(
        "api --paginate, {count} items in {} pages: {:.0} ms, peak RSS {peak_mib} MiB",
        count.div_ceil(100),
        started.elapsed().as_secs_f64() * 1000.0
    );
}

/// Run `f` RUNS times and print min, median and max wall time.
fn time(what: &str, mut f: impl FnMut() -> std::process::Output) {
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let out = f();
        times.push(started.elapsed());
        if !out.status.success() {
            println!(
                "{what:<44} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:<44} {:>9.1} {:>9.1} {:>9.1}",
        ms(times[0]),
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
}

/// The same with the token in a real Secret Service, when one is there.
fn keyring(server: &FakeSaymon) {
    let (Ok(bus), Ok("1")) = (
        std::env::var("DBUS_SESSION_BUS_ADDRESS"),
        std::env::var("SAYMON_KEYRING_SESSION").as_deref(),
    ) else {
        println!(
            "{:<44} skipped: run under .ci/with-keyring",
            "whoami (keyring, HTTPS)"
        );
        return;
    };
    let env = Env::new();
    let with_bus = |cmd: &mut assert_cmd::Command| {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &bus);
        if let Some(dir) = std::env::var_os("XDG_RUNTIME_DIR") {
            cmd.env("XDG_RUNTIME_DIR", dir);
        }
    };
    let mut login = env.at(server);
    with_bus(&mut login);
    let out = login
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "keyring"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    time("whoami (keyring, HTTPS)", || {
        let mut cmd = env.cmd();
        with_bus(&mut cmd);
        cmd.arg("whoami").output().unwrap()
    });
    let mut logout = env.cmd();
    with_bus(&mut logout);
    logout.arg("logout").output().unwrap();
}

/// Stream `size` bytes through `api` over plain HTTP; report throughput and peak memory.
fn stream(size: usize) {
    let started = Instant::now();
    let streamed = stream_big_body(size);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "api, {} MiB body over HTTP: {} MiB {} in {:.2} s (with login) = {:.0} MiB/s, peak RSS {} MiB",
        size >> 20,
        streamed.bytes >> 20,
        if streamed.success && streamed.intact {
            "intact"
        } else {
            "DAMAGED"
        },
        seconds,
        (streamed.bytes >> 20) as f64 / seconds,
        streamed.peak_rss_mib
    );
}
