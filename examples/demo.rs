//! `cargo run --release --example demo`: saymon at work with nothing else installed.
//!
//! It starts a SAYMON stand-in on 127.0.0.1 (HTTPS, its certificate made now: the same fake
//! server the tests use), keeps everything in a temporary config dir with the file store,
//! and runs the real saymon binary through login, whoami, status, api, token refresh, exec
//! and logout, printing each command line before its output. It cleans up after itself,
//! also on Ctrl-C.
//!
//! `cargo run --release --example demo -- --serve` keeps a stand-in up instead, with a
//! self-signed certificate, for trying login, trust on first use, profiles and the cron
//! recipe by hand: it prints the URL, the certificate's fingerprint and the demo
//! credentials, and stops on Ctrl-C.

#[path = "../tests/cli/support/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

// What the stand-in knows (tests/cli/support/mod.rs defines the same for the tests).
const PASSWORD: &str = "s3cr:et-Päss-canary";
const LOGIN: &str = "admin";
const EMAIL: &str = "admin@example.com";
const USER_ID: &str = "5e21b752308c3c66d64e072c";

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_interrupt(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

fn main() -> std::process::ExitCode {
    // Ctrl-C reaches the running saymon too (same process group) and ends it; the demo
    // then stops, and the temporary dir and the server go with it.
    // SAFETY: the handler only stores to an atomic.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
    let saymon = match saymon_binary() {
        Ok(path) => path,
        Err(e) => {
            eprintln!("demo: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if std::env::args().skip(1).any(|a| a == "--serve") {
        return serve(&saymon);
    }
    let server = server::FakeSaymon::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("config");
    let demo = Demo {
        saymon,
        server: &server,
        config,
        home: dir.path().to_path_buf(),
    };
    println!(
        "A SAYMON stand-in listens on {} (HTTPS; its CA is {}).",
        server.url,
        server.ca_file.display()
    );
    println!(
        "saymon keeps its config in {} for this demo, the file store (mode 0600) for the token.",
        demo.config.display()
    );
    // The password, for the steps that pipe it, in a private file: shown by name only.
    let password_file = dir.path().join("password");
    std::fs::write(&password_file, PASSWORD).expect("the demo's password file");
    chmod(&password_file, 0o600);
    println!(
        "Each command below runs as shown in a shell with the demo's environment:\n  alias saymon={}\n  export SAYMON_CONFIG_DIR={} SAYMON_CA_CERT={}\n  PASSWORD=$(cat {})\n",
        shell_word(&demo.saymon.display().to_string()),
        shell_word(&demo.config.display().to_string()),
        shell_word(&server.ca_file.display().to_string()),
        shell_word(&password_file.display().to_string())
    );
    let ok = demo.run();
    drop(dir);
    if INTERRUPTED.load(Ordering::SeqCst) {
        println!("\nInterrupted: cleaned up.");
        return std::process::ExitCode::from(130);
    }
    if ok {
        println!("\nDone. Everything the demo made is gone again.");
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// `--serve`: a stand-in with a self-signed certificate (what a lab server has), up until
/// Ctrl-C, and what a newcomer needs to try saymon against it.
fn serve(saymon: &Path) -> std::process::ExitCode {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let server = server::FakeSaymon::start_tls(server::Cert::SelfSignedNotCa);
    let der = CertificateDer::from_pem_file(&server.ca_file).expect("the stand-in's certificate");
    let digest = ring::digest::digest(&ring::digest::SHA256, der.as_ref());
    let fingerprint: Vec<String> = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    println!(
        "A SAYMON stand-in listens on {url} until Ctrl-C.\n\
         Its certificate is self-signed, as a lab server's is: SHA-256 {fp}\n\
         (the file: {file}). Log in as {LOGIN} with the password {PASSWORD}\n\
         (demo credentials of this stand-in only).\n\n\
         Try, in another terminal (a config dir of its own keeps your real one apart):\n  \
         export SAYMON_CONFIG_DIR=$(mktemp -d)/saymon\n  \
         {bin} --server {url} login    # asks whether to trust the certificate: compare the fingerprint\n  \
         {bin} whoami\n  \
         {bin} profile list\n",
        url = server.url,
        fp = fingerprint.join(":"),
        file = server.ca_file.display(),
        bin = shell_word(&saymon.display().to_string()),
    );
    while !INTERRUPTED.load(Ordering::SeqCst) {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    println!("\nStopped.");
    std::process::ExitCode::SUCCESS
}

struct Demo<'a> {
    saymon: PathBuf,
    server: &'a server::FakeSaymon,
    config: PathBuf,
    home: PathBuf,
}

impl Demo<'_> {
    fn run(&self) -> bool {
        let url = self.server.url.as_str();
        let steps: &[(&str, &[&str], Option<&str>)] = &[
            (
                "Log in: a token is made with the password and kept; the password is not.",
                &[
                    "--server",
                    url,
                    "login",
                    "--login",
                    LOGIN,
                    "--password-stdin",
                    "--store",
                    "file",
                ],
                Some(PASSWORD),
            ),
            ("Who does the token belong to?", &["whoami"], None),
            (
                "Every profile, and whether its token works.",
                &["status"],
                None,
            ),
            (
                "Any API request, the token added.",
                &["api", "objects"],
                None,
            ),
            (
                "The same, filtered with the built-in jq.",
                &["api", "objects", "--jq", ".[] | .name"],
                None,
            ),
            (
                "A fresh token for the stored one, as a nightly cron job does.",
                &["token", "refresh", "--password-stdin"],
                Some(PASSWORD),
            ),
            (
                "Another tool gets the token in its environment, never on a command line.",
                &[
                    "exec",
                    "--",
                    "sh",
                    "-c",
                    "echo \"SAYMON_SERVER=$SAYMON_SERVER, a token of ${#SAYMON_TOKEN} characters\"",
                ],
                None,
            ),
            ("Forget the token.", &["logout"], None),
        ];
        for (why, args, stdin) in steps {
            if INTERRUPTED.load(Ordering::SeqCst) {
                return false;
            }
            println!("# {why}");
            let shown: Vec<String> = args.iter().map(|a| shell_word(a)).collect();
            match stdin {
                Some(_) => println!("$ echo \"$PASSWORD\" | saymon {}", shown.join(" ")),
                None => println!("$ saymon {}", shown.join(" ")),
            }
            if !self.saymon(args, *stdin) {
                return false;
            }
            println!();
        }
        true
    }

    /// Run saymon with the demo's config, its output shown as it comes.
    fn saymon(&self, args: &[&str], stdin: Option<&str>) -> bool {
        let mut cmd = Command::new(&self.saymon);
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("SAYMON_CONFIG_DIR", &self.config)
            .env("SAYMON_CA_CERT", &self.server.ca_file)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        if let Some(term) = std::env::var_os("TERM") {
            cmd.env("TERM", term);
        }
        let mut child = match cmd.spawn() {
            Ok(child) => child,
            Err(e) => {
                eprintln!("demo: cannot run {}: {e}", self.saymon.display());
                return false;
            }
        };
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            use std::io::Write;
            let _ = writeln!(pipe, "{text}");
        }
        match child.wait() {
            Ok(status) if status.success() => true,
            Ok(status) => {
                if !INTERRUPTED.load(Ordering::SeqCst) {
                    eprintln!("demo: saymon {} ended with {status}", args.join(" "));
                }
                false
            }
            Err(e) => {
                eprintln!("demo: {e}");
                false
            }
        }
    }
}

/// `word`, quoted for a shell when it needs to be.
fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The saymon binary beside this example (target/<profile>/saymon), built first when it is
/// not there yet or older than the example (`cargo run --example` builds only the example).
fn saymon_binary() -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    // target/<profile>/examples/demo -> target/<profile>/saymon
    let profile_dir = me
        .parent()
        .and_then(Path::parent)
        .ok_or("cannot tell where the build is")?;
    let binary = profile_dir.join("saymon");
    let stale = match (binary.metadata(), me.metadata()) {
        (Ok(bin), Ok(example)) => match (bin.modified(), example.modified()) {
            (Ok(b), Ok(e)) => b < e,
            _ => false,
        },
        _ => true,
    };
    if stale {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let mut build = Command::new(cargo);
        // With the example in the same build, the dependencies' features are the ones the
        // example was just built with (its dev-dependencies unify them): only saymon itself
        // is compiled now, not the whole tree a second time.
        build.args(["build", "--bin", "saymon", "--example", "demo"]);
        // What `cargo run` set for this example is not the build's: build scripts (ring's)
        // watch CARGO_PKG_* and CARGO_MANIFEST_DIR, and would rebuild on every run.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if name.starts_with("CARGO_PKG_")
                || matches!(
                    name.as_ref(),
                    "CARGO_MANIFEST_DIR"
                        | "CARGO_MANIFEST_PATH"
                        | "CARGO_CRATE_NAME"
                        | "CARGO_BIN_NAME"
                        | "CARGO_PRIMARY_PACKAGE"
                        | "CARGO_TARGET_TMPDIR"
                )
            {
                build.env_remove(name.as_ref());
            }
        }
        if release {
            build.arg("--release");
        }
        let status = build
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .map_err(|e| format!("cannot build saymon: {e}"))?;
        if !status.success() {
            return Err("building saymon failed".into());
        }
    }
    Ok(binary)
}
