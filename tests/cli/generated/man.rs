//! The man pages: clap_mangen's sections (NAME, SYNOPSIS, DESCRIPTION, OPTIONS,
//! SUBCOMMANDS), then ours: EXIT STATUS (`error::STATUSES`, each command's from
//! `cli::pages`), ENVIRONMENT and FILES (`cli::MAN_SECTIONS`, saymon(1) only), EXAMPLES
//! (`cli::pages`, unfilled) and SEE ALSO. Checked here: every command has its page in
//! `cli::pages`, README's exit codes are `error::STATUSES`, and the pages render without a
//! warning from man (as lintian runs it) or mandoc, each example on one line.

use clap_mangen::roff::{Inline, Roff, bold, roman};
use saymon::command_line::{PAGES, Page, SAYMON_EXAMPLES};
use saymon::command_line::{STATUSES, Status};

use super::root;
use crate::support::markdown;

/// The page of `saymon WORDS…`, named `name` (saymon-token-refresh), dated `date`.
pub fn page(cmd: &clap::Command, words: &[String], name: &str, date: &str) -> String {
    // clap without its `string` feature wants a &'static name: leaking a few bytes in a test is fine.
    let static_name: &'static str = Box::leak(name.to_string().into_boxed_str());
    let mut cmd = cmd.clone().name(static_name);
    if cmd.find_subcommand("help").is_some() {
        // `saymon help` prints what --help does: it has no page to list.
        cmd = cmd.mut_subcommand("help", |help| help.hide(true));
    }
    let has_options = cmd.get_arguments().any(|a| !a.is_hide_set());
    let has_subcommands = cmd.get_subcommands().any(|s| !s.is_hide_set());
    let man = clap_mangen::Man::new(cmd.clone())
        .title(name.to_uppercase().replace('-', "\\-"))
        .date(date)
        .source(format!("saymon {}", env!("CARGO_PKG_VERSION")))
        .manual("User Commands");

    let mut text = Roff::new().render();
    let mut add = |render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut out = Vec::new();
        render(&mut out).unwrap();
        text.push_str(&without_preamble(String::from_utf8(out).unwrap()));
    };
    add(&|w| man.render_title(w));
    // No hyphenation: a word broken at a hyphen the page did not have (--pass-word-file,
    // config.to-ml) cannot be copied, nor searched for.
    add(&|w| {
        let mut roff = Roff::new();
        roff.control("nh", []);
        roff.to_writer(w)
    });
    add(&|w| man.render_name_section(w));
    add(&|w| man.render_synopsis_section(w));
    add(&|w| man.render_description_section(w));
    if has_options {
        // A blank line between two line breaks, before an option's possible values, is
        // one blank line (mandoc warns about the breaks around it).
        add(&|w| {
            let mut options = Vec::new();
            man.render_options_section(&mut options)?;
            let options = String::from_utf8(options).unwrap();
            w.extend(options.replace("\n.br\n\n.br\n", "\n.sp\n").into_bytes());
            Ok(())
        });
    }
    if has_subcommands {
        add(&|w| man.render_subcommands_section(w));
    }

    let mut roff = Roff::new();
    exit_status(&mut roff, &statuses(&cmd, words));
    if words.is_empty() {
        for (title, entries) in saymon::command_line::MAN_SECTIONS {
            roff.control("SH", [*title]);
            for (term, meaning) in *entries {
                roff.control("TP", []);
                roff.text([bold(*term)]);
                roff.text(code_spans(meaning));
            }
        }
        roff.control("SH", ["EXAMPLES"]);
        for (i, (what, command)) in SAYMON_EXAMPLES.iter().enumerate() {
            if i > 0 {
                roff.control("PP", []);
            }
            roff.text([roman(*what)]);
            roff.control("EX", []);
            roff.text([roman(*command)]);
            roff.control("EE", []);
        }
    } else {
        let page = page_of(words);
        if !page.examples.is_empty() {
            roff.control("SH", ["EXAMPLES"]);
            roff.control("EX", []);
            for line in page.examples {
                roff.text([roman(*line)]);
            }
            roff.control("EE", []);
        }
        // The pages above this one: saymon(1), and saymon-token(1) for token's commands.
        roff.control("SH", ["SEE ALSO"]);
        let mut see = Vec::new();
        for n in 0..words.len() {
            if n > 0 {
                see.push(roman(", "));
            }
            let above = std::iter::once("saymon")
                .chain(words[..n].iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("-");
            see.push(bold(above));
            see.push(roman("(1)"));
        }
        roff.text(see);
    }
    text.push_str(&without_preamble(roff.render()));
    text
}

/// A page's roff without the preamble that every rendering starts with (the page has it once).
fn without_preamble(text: String) -> String {
    let preamble = Roff::new().render();
    match text.strip_prefix(&preamble) {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// `cli::pages`'s page of `saymon WORDS…`.
fn page_of(words: &[String]) -> &'static Page {
    let key = words.join(" ");
    PAGES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, page)| *page)
        .unwrap_or_else(|| panic!("`saymon {key}` has no page in src/cli/pages.rs"))
}

/// The statuses `saymon WORDS…` can exit with: its page's, or for a command that groups
/// others (saymon itself, token, profile) every one of theirs.
fn statuses(cmd: &clap::Command, words: &[String]) -> Vec<Status> {
    let subs: Vec<&clap::Command> = cmd
        .get_subcommands()
        .filter(|s| s.get_name() != "help")
        .collect();
    if subs.is_empty() {
        return page_of(words).exits.to_vec();
    }
    let mut all = Vec::new();
    for sub in subs {
        let mut below = words.to_vec();
        below.push(sub.get_name().to_string());
        for status in statuses(sub, &below) {
            if !all.contains(&status) {
                all.push(status);
            }
        }
    }
    all
}

/// EXIT STATUS: `statuses` in the order of `error::STATUSES`, with their meaning.
fn exit_status(roff: &mut Roff, statuses: &[Status]) {
    roff.control("SH", ["EXIT STATUS"]);
    for (status, meaning) in STATUSES {
        if statuses.contains(status) {
            roff.control("TP", []);
            roff.text([bold(status.code())]);
            roff.text(code_spans(meaning));
        }
    }
}

/// Text whose `code` spans (in backticks, as README writes them) are bold.
fn code_spans(text: &str) -> Vec<Inline> {
    let parts: Vec<&str> = text.split('`').collect();
    assert!(
        parts.len() % 2 == 1,
        "an unclosed ` in a man page's text: {text}"
    );
    parts
        .iter()
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| {
            if i % 2 == 1 {
                bold(*part)
            } else {
                roman(*part)
            }
        })
        .collect()
}

/// Every command (but `help`) under `cmd`, with its words after `saymon`.
fn commands(
    cmd: &clap::Command,
    words: &mut Vec<String>,
    all: &mut Vec<(Vec<String>, clap::Command)>,
) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        words.push(sub.get_name().to_string());
        all.push((words.clone(), sub.clone()));
        commands(sub, words, all);
        words.pop();
    }
}

#[test]
fn every_command_has_its_page_and_its_help_shows_its_examples() {
    use clap::CommandFactory;
    let mut cli = saymon::command_line::Cli::command();
    cli.build();
    assert_eq!(
        cli.get_after_help().map(ToString::to_string),
        Some(saymon::command_line::saymon_after_help()),
        "saymon --help ends with where to start, man saymon's examples (SAYMON_EXAMPLES) and the exit codes"
    );
    let mut all = Vec::new();
    commands(&cli, &mut Vec::new(), &mut all);
    for (words, cmd) in &all {
        let page = page_of(words);
        let name = words.join(" ");
        let groups = cmd.get_subcommands().any(|s| s.get_name() != "help");
        assert_eq!(
            page.exits.is_empty(),
            groups,
            "saymon {name}: a command lists its exit statuses, one that groups others none"
        );
        let help = cmd.get_after_help().map(ToString::to_string);
        match page.examples.is_empty() {
            true => assert_eq!(help, None, "saymon {name}: an after_help without a page"),
            false => assert_eq!(
                help.as_deref(),
                Some(page.after_help().as_str()),
                "saymon {name}: its help's examples are its page's (after_help = pages::…)"
            ),
        }
    }
    // No page for a command that is not there.
    for (key, _) in PAGES {
        assert!(
            all.iter().any(|(words, _)| words.join(" ") == *key),
            "src/cli/pages.rs has a page for `saymon {key}`, which is no command"
        );
    }
    // Every status documented is one some command gives, and is in the table.
    let given = statuses(&cli, &[]);
    for (status, _) in STATUSES {
        assert!(given.contains(status), "no command exits {}", status.code());
    }
    for status in &given {
        assert!(
            STATUSES.iter().any(|(s, _)| s == status),
            "exit {} is not in error::STATUSES",
            status.code()
        );
    }
}

#[test]
fn readme_s_exit_codes_are_the_statuses() {
    // README's "Exit codes" is a list, one item a status: "**CODE**: meaning".
    let readme = markdown::read("README.md");
    let rows: Vec<(String, String)> =
        markdown::list_items(markdown::section(&readme, "## Exit codes"))
            .iter()
            .map(|item| {
                let (code, meaning) = item
                    .strip_prefix("**")
                    .and_then(|rest| rest.split_once("**: "))
                    .unwrap_or_else(|| panic!("not \"**CODE**: meaning\": {item}"));
                (code.to_string(), meaning.to_string())
            })
            .collect();
    let statuses: Vec<(String, String)> = STATUSES
        .iter()
        .map(|(status, meaning)| (status.code(), meaning.to_string()))
        .collect();
    assert_eq!(
        rows, statuses,
        "README's exit codes and error::STATUSES say the same"
    );
}

/// The output of a tool the page checks need, or `None` when it is not installed here and
/// this is not CI (CI installs it: .ci/run's packages).
fn run(tool: &str, args: &[&str], envs: &[(&str, &str)]) -> Option<std::process::Output> {
    let out = std::process::Command::new(tool)
        .args(args)
        .envs(envs.iter().copied())
        .env("LC_ALL", "C.UTF-8")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env_remove("MAN_KEEP_FORMATTING")
        .output();
    match out {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{tool} is missing, and CI must check the man pages: install man-db and mandoc (.ci/run does)"
            );
            eprintln!(
                "SKIPPED: the man page checks need {tool} (Debian packages man-db, mandoc); CI runs them"
            );
            None
        }
        Err(e) => panic!("cannot run {tool}: {e}"),
    }
}

#[test]
fn man_pages_render_without_a_warning_and_examples_unbroken() {
    use clap::CommandFactory;
    let mut cli = saymon::command_line::Cli::command();
    cli.build();
    let mut pages = vec![(Vec::new(), cli.clone())];
    commands(&cli, &mut Vec::new(), &mut pages);
    for (words, _) in &pages {
        let name = std::iter::once("saymon".to_string())
            .chain(words.iter().cloned())
            .collect::<Vec<_>>()
            .join("-");
        let file = root().join("man").join(format!("{name}.1"));
        let file = file.to_str().unwrap();
        // What lintian's manpage check runs (at its width, 120), and at 80 and 60 columns.
        for width in ["120", "80", "60"] {
            let env = [("MANWIDTH", width), ("MANROFFSEQ", "")];
            let args = ["--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", file];
            let Some(out) = run("man", &args, &env) else {
                return;
            };
            assert!(out.status.success(), "man {file}");
            assert_eq!(
                String::from_utf8_lossy(&out.stderr),
                "",
                "{name}.1 at {width} columns: groff warns"
            );
        }
        let Some(lint) = run("mandoc", &["-Tlint", "-W", "warning", file], &[]) else {
            return;
        };
        let said = String::from_utf8_lossy(&lint.stdout) + String::from_utf8_lossy(&lint.stderr);
        assert!(
            lint.status.success() && said.is_empty(),
            "mandoc -Tlint {name}.1: {said}"
        );
        // lintian's whatis check: NAME parses as "name - what it does".
        let Some(whatis) = run("lexgrog", &[file], &[]) else {
            return;
        };
        let whatis = String::from_utf8_lossy(&whatis.stdout);
        assert!(
            whatis.contains(&format!("\"{name} - ")),
            "lexgrog {name}.1: {whatis}"
        );

        // Each example on one line, whole, at a narrow and a normal width.
        let examples: Vec<&str> = if words.is_empty() {
            SAYMON_EXAMPLES
                .iter()
                .map(|(_, command)| *command)
                .collect()
        } else {
            page_of(words).examples.to_vec()
        };
        for width in ["60", "80"] {
            let Some(shown) = run("man", &["-l", file], &[("MANWIDTH", width)]) else {
                return;
            };
            assert!(shown.status.success(), "man -l {file}");
            let shown = String::from_utf8(shown.stdout).unwrap();
            let lines: Vec<&str> = shown.lines().map(str::trim).collect();
            for example in &examples {
                assert!(
                    lines.contains(&example.trim()),
                    "{name}.1 at {width} columns: the example `{example}` is not one line of\n{shown}"
                );
            }
            for section in ["EXIT STATUS", "SEE ALSO"] {
                assert!(
                    lines.contains(&section) || (section == "SEE ALSO" && words.is_empty()),
                    "{name}.1 has no {section}"
                );
            }
            assert!(
                lines.contains(&"EXAMPLES") != examples.is_empty(),
                "{name}.1: EXAMPLES when it has examples"
            );
            assert!(!lines.contains(&"EXTRA"), "{name}.1 has an EXTRA section");
            assert!(!shown.contains("-help(1)"), "{name}.1 lists a help page");
        }
    }
}
