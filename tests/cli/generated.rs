//! completions/, man/ and tests/help/ are made from the clap definition and committed.
//! This test fails when they drift; to remake them after changing the CLI, run
//!     SAYMON_UPDATE_GENERATED=1 cargo test --test cli generated::

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use saymon::cli::Cli;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every generated file: its path under the repo and its contents.
fn generated() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "saymon.bash"),
        (Shell::Zsh, "_saymon"),
        (Shell::Fish, "saymon.fish"),
        (Shell::PowerShell, "_saymon.ps1"),
        (Shell::Elvish, "saymon.elv"),
    ] {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "saymon", &mut script);
        files.push((PathBuf::from("completions").join(name), script));
    }
    let mut cmd = Cli::command();
    cmd.build();
    man_pages(&cmd, "saymon", &mut files);
    help_pages(&cmd, &mut Vec::new(), &mut files);
    files
}

fn man_pages(cmd: &clap::Command, name: &str, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    let mut page = Vec::new();
    // clap without its `string` feature wants a &'static name: leaking a few bytes in a test is fine.
    let static_name: &'static str = Box::leak(name.to_string().into_boxed_str());
    clap_mangen::Man::new(cmd.clone().name(static_name))
        .render(&mut page)
        .unwrap();
    if name == "saymon" {
        // `saymon help` has no page of its own (it prints what --help does): not listed.
        let text = String::from_utf8(page).unwrap();
        let help =
            ".TP\nsaymon\\-help(1)\nPrint this message or the help of the given subcommand(s)\n";
        assert!(
            text.contains(help),
            "clap_mangen lists saymon-help(1) as expected"
        );
        page = text.replace(help, "").into_bytes();
        page.extend_from_slice(extra_sections().as_bytes());
    }
    files.push((PathBuf::from("man").join(format!("{name}.1")), page));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        man_pages(sub, &format!("{name}-{}", sub.get_name()), files);
    }
}

/// EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES of `saymon.1`, from `cli::MAN_SECTIONS`.
fn extra_sections() -> String {
    // roff: a leading dot or quote would be a request, a backslash an escape.
    let escape = |text: &str| {
        let text = text.replace('\\', "\\e").replace('-', "\\-");
        match text.chars().next() {
            Some('.' | '\'') => format!("\\&{text}"),
            _ => text,
        }
    };
    let mut roff = String::new();
    for (title, entries) in saymon::cli::MAN_SECTIONS {
        roff.push_str(&format!(".SH \"{title}\"\n"));
        for (term, text) in *entries {
            roff.push_str(&format!(
                ".TP\n\\fB{}\\fR\n{}\n",
                escape(term),
                escape(text)
            ));
        }
    }
    roff
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
    for (path, contents) in generated() {
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
        let expected: Vec<PathBuf> = generated().into_iter().map(|(p, _)| p).collect();
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
