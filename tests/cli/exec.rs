//! `saymon exec`: the signals its caller ignored stay ignored for the command; a closed
//! stdout stops it before the command runs.

use crate::support::*;

#[cfg(unix)]
#[test]
fn exec_keeps_the_signals_its_caller_ignored_ignored() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    // As `nohup saymon exec -- CMD` runs it: SIGHUP ignored. saymon gets one, the command
    // sends itself one; both live on. SIGINT ignored too: the command keeps it ignored.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .env("SAYMON_SERVER", "https://saymon.example")
        .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
        .args([
            "exec",
            "--",
            "sh",
            "-c",
            "kill -HUP $PPID; sleep 0.3; kill -HUP $$; kill -INT $$; echo survived",
        ]);
    // SAFETY: signal() between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGHUP, libc::SIG_IGN);
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "survived\n");
}

#[cfg(target_os = "linux")]
#[test]
fn exec_gives_an_ignored_sigpipe_back_to_the_command() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    let run = |ignore: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .env("SAYMON_CONFIG_DIR", env.config_dir())
            .env("SAYMON_SERVER", "https://saymon.example")
            .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
            .args(["exec", "--", "grep", "SigIgn", "/proc/self/status"]);
        if ignore {
            // SAFETY: signal() between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    libc::signal(libc::SIGPIPE, libc::SIG_IGN);
                    Ok(())
                });
            }
        }
        let out = cmd.output().unwrap();
        let line = String::from_utf8(out.stdout).unwrap();
        u64::from_str_radix(line.trim().trim_start_matches("SigIgn:").trim(), 16).unwrap()
    };
    let pipe = 1 << (libc::SIGPIPE - 1);
    assert_eq!(
        run(true) & pipe,
        pipe,
        "ignored by the caller: ignored for the command"
    );
    assert_eq!(
        run(false) & pipe,
        0,
        "not ignored by the caller: default for the command"
    );
}

#[test]
fn exec_with_stdout_closed_fails_before_the_command_runs() {
    let env = Env::new();
    let ran = env.dir.path().join("ran");
    for mask in [&[][..], &["--no-mask"]] {
        // As `token print` with `>&-`: exit 1, saying so; the command never ran.
        let mut cmd = assert_cmd::Command::new("sh");
        env.hermetic(&mut cmd);
        cmd.env("SAYMON_SERVER", "https://saymon.example")
            .env("SAYMON_TOKEN", "5e21b752-308c-4c66-964e-072c0a5e2b75")
            .arg("-c")
            .arg("exec \"$0\" exec \"$@\" >&-")
            .arg(env!("CARGO_BIN_EXE_saymon"))
            .args(mask)
            .args(["--", "sh", "-c", "echo out; : > \"$0\""])
            .arg(&ran)
            .assert()
            .code(1)
            .stderr(predicates::str::contains("saymon: error: stdout is closed"))
            .stderr(predicates::str::contains("hint: "));
        assert!(!ran.exists(), "the command ran ({mask:?})");
    }
}
