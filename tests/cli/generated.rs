//! completions/, man/ and tests/help/ are made from the clap definition and committed.
//! This test fails when they drift; to remake them after changing the CLI, run
//!     SAYMON_UPDATE_GENERATED=1 cargo test --test cli generated::

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use saymon::command_line::Cli;

mod man;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every generated file: its path under the repo and its contents. `update`: a man page
/// whose text changed gets today's date (see `man_date`).
fn generated(update: bool) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    // The registration of `COMPLETE=SHELL saymon`: the shell asks saymon at each Tab.
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let shells: [(&dyn EnvCompleter, &str); 5] = [
        (&Bash, "saymon.bash"),
        (&Zsh, "_saymon"),
        (&Fish, "saymon.fish"),
        (&Powershell, "_saymon.ps1"),
        (&Elvish, "saymon.elv"),
    ];
    for (shell, name) in shells {
        let mut script = Vec::new();
        shell
            .write_registration("COMPLETE", "saymon", "saymon", "saymon", &mut script)
            .unwrap();
        files.push((PathBuf::from("completions").join(name), script));
    }
    let mut cmd = Cli::command();
    cmd.build();
    man_pages(&cmd, &mut Vec::new(), update, &mut files);
    help_pages(&cmd, &mut Vec::new(), &mut files);
    files
}

/// `man/saymon.1` and a page for each command under it (`saymon help` has none: it prints
/// what --help does).
fn man_pages(
    cmd: &clap::Command,
    words: &mut Vec<String>,
    update: bool,
    files: &mut Vec<(PathBuf, Vec<u8>)>,
) {
    let name = std::iter::once("saymon".to_string())
        .chain(words.iter().cloned())
        .collect::<Vec<_>>()
        .join("-");
    let path = PathBuf::from("man").join(format!("{name}.1"));
    let committed = std::fs::read_to_string(root().join(&path)).ok();
    // The date of the page's last change: the committed one while its text stays the same.
    let mut date = committed.as_deref().and_then(man_date);
    let mut page = man::page(cmd, words, &name, date.as_deref().unwrap_or(EPOCH));
    if update && committed.as_deref() != Some(page.as_str()) {
        date = Some(today());
        page = man::page(cmd, words, &name, date.as_deref().unwrap());
    }
    files.push((path, page.into_bytes()));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        words.push(sub.get_name().to_string());
        man_pages(sub, words, update, files);
        words.pop();
    }
}

/// A date for a page that has none yet (it is out of date anyway).
const EPOCH: &str = "1970-01-01";

/// The date in a page's `.TH` line (YYYY-MM-DD), as `man::page` writes it.
fn man_date(page: &str) -> Option<String> {
    let th = page.lines().find(|l| l.starts_with(".TH "))?;
    let date = th.split_whitespace().nth(3)?;
    let shape = date.len() == 10
        && date.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    shape.then(|| date.to_string())
}

#[test]
fn a_page_s_date_is_read_from_its_title_line() {
    let page = ".ie \\n(.g .ds Aq \\(aq\n.TH SAYMON\\-LOGIN 1 2026-12-02 \"saymon 0.1.0\" \"User Commands\"\n.nh\n";
    assert_eq!(man_date(page).as_deref(), Some("2026-12-02"));
    // clap_mangen's own title line has no date: the page is out of date anyway.
    assert_eq!(
        man_date(".TH saymon-login 1  \"saymon-login 0.1.0\" \n"),
        None
    );
    assert_eq!(man_date("no title"), None);
    assert!(man_date(&format!(".TH SAYMON 1 {} x y", today())).is_some());
}

/// Today (UTC) as YYYY-MM-DD.
fn today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let now = time::OffsetDateTime::from_unix_timestamp(now.as_secs() as i64).unwrap();
    let date = now.date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// `saymon [sub...] --help` as the binary prints it, so help changes are reviewed.
fn help_pages(cmd: &clap::Command, path: &mut Vec<String>, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"))
        .env_clear()
        .args(path.iter())
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let name = if path.is_empty() {
        "saymon".to_string()
    } else {
        format!("saymon-{}", path.join("-"))
    };
    files.push((
        PathBuf::from("tests/help").join(format!("{name}.txt")),
        out.stdout,
    ));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        path.push(sub.get_name().to_string());
        help_pages(sub, path, files);
        path.pop();
    }
}

#[test]
fn generated_files_match_the_cli() {
    let update = std::env::var("SAYMON_UPDATE_GENERATED").as_deref() == Ok("1");
    let mut stale = Vec::new();
    for (path, contents) in generated(update) {
        let full = root().join(&path);
        if update {
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, &contents).unwrap();
        } else if std::fs::read(&full).ok().as_deref() != Some(contents.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run `SAYMON_UPDATE_GENERATED=1 cargo test --test cli generated::` and commit"
    );
    // Nothing stale lingers in the generated dirs either.
    if !update {
        let expected: Vec<PathBuf> = generated(false).into_iter().map(|(p, _)| p).collect();
        for dir in ["completions", "man", "tests/help"] {
            for entry in std::fs::read_dir(root().join(dir)).unwrap() {
                let rel = Path::new(dir).join(entry.unwrap().file_name());
                assert!(
                    expected.contains(&rel),
                    "{} is not generated any more: remove it",
                    rel.display()
                );
            }
        }
    }
}

#[test]
fn the_completions_command_prints_the_committed_script_for_five_shells() {
    for (shell, file) in [
        ("bash", "saymon.bash"),
        ("zsh", "_saymon"),
        ("fish", "saymon.fish"),
        ("powershell", "_saymon.ps1"),
        ("elvish", "saymon.elv"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        assert_eq!(
            out.stdout,
            std::fs::read(root().join("completions").join(file)).unwrap(),
            "{shell}"
        );
    }
}

#[test]
fn profile_names_complete_for_profile_through_complete_env() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[profiles.prod-eu]\nserver = \"https://eu.example.com\"\n[profiles.prod-us]\n[profiles.lab]\n",
    )
    .unwrap();
    let complete = |shell: &str, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"))
            .env_clear()
            .env("SAYMON_CONFIG_DIR", dir.path())
            .env("COMPLETE", shell)
            .arg("--")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    // fish's protocol: one candidate a line, its help after a tab.
    assert_eq!(
        complete("fish", &["saymon", "status", "--profile", "prod"]),
        "prod-eu\thttps://eu.example.com\nprod-us\n"
    );
    assert!(complete("fish", &["saymon", "--profile", ""]).starts_with("lab\n"));
    // Registration scripts for the shells that support it.
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"))
            .env_clear()
            .env("COMPLETE", shell)
            .output()
            .unwrap();
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
}

#[test]
fn odd_profile_names_complete_escaped_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[profiles.\"*\"]\n[profiles.\"a\\nb\"]\n[profiles.\"two words\"]\n[profiles.ok]\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_saymon"))
        .env_clear()
        .env("SAYMON_CONFIG_DIR", dir.path())
        .env("COMPLETE", "fish")
        .args(["--", "saymon", "status", "--profile", ""])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines.sort();
    assert_eq!(lines, ["\\*", "ok", "two\\ words"]);
}

#[test]
fn the_packaged_bash_script_completes_commands_and_profile_names_in_a_real_bash() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[profiles.prod-eu]\n[profiles.prod-us]\n[profiles.lab]\n",
    )
    .unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_saymon")).parent().unwrap();
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let script = format!(
            "source {}\n\
             COMP_WORDS=({}); COMP_CWORD={}; COMP_TYPE=9; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n\
             _clap_complete_saymon saymon '{}' '{}'\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            root().join("completions/saymon.bash").display(),
            words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let out = std::process::Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &script])
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("SAYMON_CONFIG_DIR", dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut found: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        found.sort();
        found
    };
    assert_eq!(
        complete("saymon status --profile prod"),
        ["prod-eu", "prod-us"]
    );
    assert_eq!(complete("saymon pro"), ["profile", "proxy"]);
    assert!(complete("saymon whoami --ti").contains(&"--timeout".to_string()));
}
