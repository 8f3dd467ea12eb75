//! Test support: a hermetic command environment and an in-process fake SAYMON server.
#![allow(dead_code)]

pub mod markdown;
pub mod pty;
pub mod server;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

#[allow(unused_imports)]
pub use server::{Cert, FakeSaymon, HOSTILE_TEXT, Mode};

/// A canary password: `:` and non-ASCII, as real passwords may have.
pub const PASSWORD: &str = "s3cr:et-Päss-canary";
pub const LOGIN: &str = "admin";
pub const EMAIL: &str = "admin@example.com";
pub const USER_ID: &str = "5e21b752308c3c66d64e072c";

/// A private home and config dir for one test, and commands that see nothing else:
/// no D-Bus (so no real keyring), no terminal, no colour, no backtraces.
pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        Env { dir }
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn credentials_file(&self) -> PathBuf {
        self.config_dir().join("credentials.toml")
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir().join("config.toml")
    }

    /// `saymon` with a cleared environment: PATH, HOME, SAYMON_CONFIG_DIR, NO_COLOR and
    /// RUST_BACKTRACE=0 only. stdin is empty (not a terminal), and it may run 60 s at most.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_saymon"));
        self.hermetic(&mut cmd);
        cmd
    }

    /// `saymon` as `cmd` makes it, but run as an ordinary user (uid and gid 65534) when
    /// the tests run as root, for tests about file permissions, which root ignores. The
    /// test's whole directory is handed to that user, and the binary is linked (or
    /// copied) into it, since the build dir may be private to root.
    pub fn user_cmd(&self) -> Command {
        if !is_root() {
            return self.cmd();
        }
        let mut cmd = Command::from_std(self.user_std_cmd());
        self.hermetic(&mut cmd);
        cmd
    }

    /// The bare `std` command behind `user_cmd` (no environment set), e.g. for a pty.
    pub fn user_std_cmd(&self) -> std::process::Command {
        if !is_root() {
            return std::process::Command::new(env!("CARGO_BIN_EXE_saymon"));
        }
        let bin = self.dir.path().join("bin/saymon");
        if !bin.exists() {
            std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
            let built = env!("CARGO_BIN_EXE_saymon");
            if std::fs::hard_link(built, &bin).is_err() {
                std::fs::copy(built, &bin).unwrap();
            }
        }
        // The binary itself stays root's (it may be the build's own file, linked).
        chown_tree(self.dir.path(), NOBODY, Some(&bin));
        let mut std_cmd = std::process::Command::new(&bin);
        std::os::unix::process::CommandExt::uid(&mut std_cmd, NOBODY);
        std::os::unix::process::CommandExt::gid(&mut std_cmd, NOBODY);
        std_cmd
    }

    /// `login --store file --remember-password` as a cron set-up script would run it (`cron`'s
    /// environment), for `profile`.
    pub fn cron_login(&self, server: &FakeSaymon, profile: &str) {
        self.cron()
            .args(["--profile", profile, "--server", &server.url, "--ca-cert"])
            .arg(&server.ca_file)
            .args([
                "login",
                "--login",
                LOGIN,
                "--store",
                "file",
                "--remember-password",
                "--password-stdin",
            ])
            .write_stdin(format!("{PASSWORD}\n"))
            .assert()
            .success();
    }

    /// A fresh environment logged in to `server` (`login_file`).
    pub fn logged_in(server: &FakeSaymon) -> Env {
        let env = Env::new();
        env.login_file(server);
        env
    }

    /// The lines of credentials.toml that hold a token ("" when there is no such file).
    pub fn stored_token_lines(&self) -> String {
        std::fs::read_to_string(self.credentials_file())
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("token"))
            .collect()
    }

    /// `saymon` for a pseudo-terminal (`Pty::spawn` takes a std command): the environment
    /// of `cmd` (PATH, HOME, SAYMON_CONFIG_DIR, NO_COLOR, RUST_BACKTRACE=0) and TERM=dumb.
    pub fn terminal_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("SAYMON_CONFIG_DIR", self.config_dir())
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0")
            .env("TERM", "dumb");
        cmd
    }

    /// The hermetic environment of `cmd`, for commands that run saymon another way.
    pub fn hermetic(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("SAYMON_CONFIG_DIR", self.config_dir())
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0")
            .write_stdin("")
            .timeout(Duration::from_secs(60));
    }

    /// `saymon` as cron runs it: the environment is HOME and PATH only (the config is in
    /// HOME/.config/saymon), no terminal, no D-Bus.
    pub fn cron(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_saymon"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .write_stdin("")
            .timeout(Duration::from_secs(60));
        cmd
    }

    /// Where a cron run's config lives.
    pub fn cron_config_dir(&self) -> PathBuf {
        self.home().join(".config/saymon")
    }

    /// `saymon` against `server`, trusting its test CA.
    pub fn at(&self, server: &FakeSaymon) -> Command {
        let mut cmd = self.cmd();
        cmd.env("SAYMON_SERVER", &server.url)
            .env("SAYMON_CA_CERT", &server.ca_file);
        cmd
    }

    /// `saymon` against `server` with the password in the environment (for a plain-HTTP
    /// fake: no CA file needed, which suits `user_cmd`, for whom the CA file is root's).
    pub fn with_password(&self, server: &FakeSaymon, as_user: bool) -> Command {
        let mut cmd = if as_user { self.user_cmd() } else { self.cmd() };
        cmd.env("SAYMON_SERVER", &server.url)
            .env("SAYMON_PASSWORD", PASSWORD);
        cmd
    }

    /// `login --store file` with the password from the environment (and `extra` flags,
    /// e.g. `--remember-password`); asserts success.
    pub fn login_plain(&self, server: &FakeSaymon, as_user: bool, extra: &[&str]) {
        self.with_password(server, as_user)
            .args(["login", "--login", LOGIN, "--store", "file"])
            .args(extra)
            .assert()
            .success();
    }

    /// Write the default profile (file store) by hand, as an older saymon or a test's
    /// odd server needs it: `server` is the profile's server, `account` the name its token
    /// (and `password`) are stored under.
    pub fn write_profile(&self, server: &str, account: &str, token: &str, password: Option<&str>) {
        std::fs::create_dir_all(self.config_dir()).unwrap();
        chmod(&self.config_dir(), 0o700);
        std::fs::write(
            self.config_file(),
            format!(
                "default_profile = \"default\"\n\n[profiles.default]\nserver = \"{server}\"\nlogin = \"{LOGIN}\"\nuser_id = \"{USER_ID}\"\nstore = \"file\"\n"
            ),
        )
        .unwrap();
        let password = password
            .map(|p| format!("password = \"{p}\"\n"))
            .unwrap_or_default();
        std::fs::write(
            self.credentials_file(),
            format!("[accounts.\"{account}\"]\ntoken = \"{token}\"\n{password}"),
        )
        .unwrap();
        chmod(&self.credentials_file(), 0o600);
    }

    /// Write the default profile with the keyring store, for `login` (as it would appear
    /// in TOML: escapes are the file's).
    pub fn write_keyring_profile(&self, server: &str, login: &str) {
        std::fs::create_dir_all(self.config_dir()).unwrap();
        chmod(&self.config_dir(), 0o700);
        std::fs::write(
            self.config_file(),
            format!(
                "[profiles.default]\nserver = \"{server}\"\nlogin = \"{login}\"\nstore = \"keyring\"\n"
            ),
        )
        .unwrap();
    }

    /// `saymon login --store file` with the password on stdin; asserts success.
    pub fn login_file(&self, server: &FakeSaymon) {
        self.at(server)
            .args([
                "login",
                "--login",
                LOGIN,
                "--password-stdin",
                "--store",
                "file",
            ])
            .write_stdin(format!("{PASSWORD}\n"))
            .assert()
            .success();
    }
}

/// The uid and gid of `nobody`, an ordinary user for permission tests.
pub const NOBODY: u32 = 65534;

/// A port on 127.0.0.1 that takes connections, holds them, and never says anything (a
/// stalled TLS handshake, a silent server), for the life of the test process.
pub fn silent_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Give `path` and everything below it but `skip` to `uid` (and the same gid), links as
/// links.
pub fn chown_tree(path: &Path, uid: u32, skip: Option<&Path>) {
    if Some(path) == skip {
        return;
    }
    std::os::unix::fs::lchown(path, Some(uid), Some(uid)).unwrap();
    if path.symlink_metadata().unwrap().is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chown_tree(&entry.unwrap().path(), uid, skip);
        }
    }
}

/// The uid that owns `path`.
pub fn owner(path: &Path) -> u32 {
    std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(path).unwrap())
}

/// Set `path`'s permission bits.
pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Every file in the config dir (names), sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The mode bits of a file.
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// stdout and stderr of a finished command as text.
pub fn outputs(output: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `cmd` run by a small python3 that writes the command's peak resident memory (KiB) to
/// `report` when it ends, and exits with its code (128+N for signal N). A child spawned
/// from this test process shares its memory until it execs, and Linux keeps that
/// high-water mark across exec, so `wait4` here would report this process's peak (large,
/// with every test in one binary), not the command's. Its stdio is the command's.
pub fn measured(cmd: &std::process::Command, report: &Path) -> std::process::Command {
    const SCRIPT: &str = "import resource, subprocess, sys
r = subprocess.run(sys.argv[2:])
open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(r.returncode if r.returncode >= 0 else 128 - r.returncode)";
    let mut wrapped = std::process::Command::new("python3");
    wrapped
        .arg("-c")
        .arg(SCRIPT)
        .arg(report)
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .env_clear();
    for (name, value) in cmd.get_envs() {
        if let Some(value) = value {
            wrapped.env(name, value);
        }
    }
    if let Some(dir) = cmd.get_current_dir() {
        wrapped.current_dir(dir);
    }
    wrapped
}

/// The peak `measured` wrote to `report`, in MiB.
pub fn measured_peak_mib(report: &Path) -> usize {
    let text = std::fs::read_to_string(report).unwrap();
    // ru_maxrss is in KiB on Linux.
    text.trim()
        .parse::<usize>()
        .unwrap_or_else(|_| panic!("{text:?}"))
        / 1024
}

/// Run `cmd` (stdin and stdout null) and return its exit code, its peak resident memory in
/// MiB (`measured`) and its stderr.
pub fn run_measured(cmd: std::process::Command) -> (Option<i32>, usize, String) {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("peak");
    let out = measured(&cmd, &report)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .output()
        .expect("python3 runs the measured command");
    (
        out.status.code(),
        measured_peak_mib(&report),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What `saymon api big?size=N` did with a large streamed body.
pub struct Streamed {
    /// Bytes that reached stdout.
    pub bytes: usize,
    /// Whether each of them was the `x` the server sent.
    pub intact: bool,
    pub success: bool,
    /// The process's peak resident memory.
    pub peak_rss_mib: usize,
}

/// Log in to a plain-HTTP fake server (fast for large bodies) and stream `size` bytes
/// through `saymon api`, reading its stdout as it comes and its peak RSS at the end.
pub fn stream_big_body(size: usize) -> Streamed {
    use std::io::Read;
    use std::process::{Command as StdCommand, Stdio};
    let server = FakeSaymon::start_plain();
    let env = Env::new();
    env.cmd()
        .env("SAYMON_SERVER", &server.url)
        .env("SAYMON_PASSWORD", PASSWORD)
        .args(["login", "--login", LOGIN, "--store", "file"])
        .assert()
        .success();
    let mut saymon = StdCommand::new(env!("CARGO_BIN_EXE_saymon"));
    saymon
        .env_clear()
        .env("HOME", env.home())
        .env("SAYMON_CONFIG_DIR", env.config_dir())
        .args(["api", &format!("big?size={size}")]);
    let report = env.dir.path().join("peak");
    let mut child = measured(&saymon, &report)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (mut bytes, mut intact) = (0, true);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = stdout.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        intact &= buf[..n].iter().all(|&b| b == b'x');
        bytes += n;
    }
    let status = child.wait().unwrap();
    Streamed {
        bytes,
        intact,
        success: status.success(),
        peak_rss_mib: measured_peak_mib(&report),
    }
}
