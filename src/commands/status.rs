//! `saymon status`: every profile, where its secrets live, which token source wins, and
//! (unless --offline) whether the server accepts the token.

use anyhow::Result;
use clap::Args;
use serde_json::{Value, json};

use crate::client::{Auth, Tls};
use crate::config::{Profile, StoreKind};
use crate::credentials::{Session, env_token};
use crate::error::{Error, Exit, exit_code};
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::TokenSource;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Do not ask the servers whether the tokens work
    #[arg(long)]
    pub offline: bool,

    /// Exit 0 only when every profile checked has a working token (else the first
    /// failure's code), not just the selected one
    #[arg(long)]
    pub all_ok: bool,
}

/// What we learned of one profile's token.
enum TokenState {
    /// The server accepted it, as this login.
    Works(String),
    /// A token is there; --offline did not ask.
    Present,
    Missing,
    /// The check failed: the exit code it maps to and the one-line reason.
    Failed(Exit, String),
}

impl TokenState {
    fn exit(&self) -> Option<Exit> {
        match self {
            TokenState::Works(_) | TokenState::Present => None,
            TokenState::Missing => Some(Exit::NoCredentials),
            TokenState::Failed(exit, _) => Some(*exit),
        }
    }

    fn text(&self) -> String {
        match self {
            TokenState::Works(login) => format!("works (as {login})"),
            TokenState::Present => "stored (not checked)".into(),
            TokenState::Missing => "none".into(),
            TokenState::Failed(Exit::Rejected, why) => format!("rejected: {why}"),
            TokenState::Failed(Exit::Unreachable, why) => format!("unreachable: {why}"),
            TokenState::Failed(Exit::StoreUnusable, why) => format!("store unusable: {why}"),
            TokenState::Failed(_, why) => format!("error: {why}"),
        }
    }

    fn key(&self) -> &'static str {
        match self {
            TokenState::Works(_) => "works",
            TokenState::Present => "present",
            TokenState::Missing => "missing",
            TokenState::Failed(Exit::Rejected, _) => "rejected",
            TokenState::Failed(Exit::Unreachable, _) => "unreachable",
            TokenState::Failed(Exit::StoreUnusable, _) => "store_unusable",
            TokenState::Failed(..) => "error",
        }
    }
}

struct Row {
    name: String,
    selected: bool,
    is_default: bool,
    profile: Profile,
    server: Option<ServerUrl>,
    source: Option<TokenSource>,
    state: TokenState,
    /// How long the server took to answer the check.
    answer: Option<std::time::Duration>,
}

/// How many servers `status` asks at once.
const AT_ONCE: usize = 32;

pub(crate) async fn run(args: &StatusArgs, session: &Session<'_>) -> Result<()> {
    let env_token = env_token()?;
    let names = select(session, env_token.is_some())?;
    let (mut rows, checks) = read_rows(args, session, names, env_token.as_ref());
    check_all(session, &mut rows, &checks).await;
    show(session, &rows)?;
    judge(args, session, &rows)
}

/// The names of the profiles to show: all, or those `--profile` patterns match; the
/// selected one too when a token in the environment (SAYMON_TOKEN, …) or `--server` make
/// it without a config entry.
/// Exit 3 when none is left.
fn select(session: &Session<'_>, env_token: bool) -> Result<Vec<String>> {
    let mut names: Vec<String> = session.selected.config.profiles.keys().cloned().collect();
    let selected_exists = names.contains(&session.selected.profile_name);
    if !selected_exists && (env_token || session.settings.server.is_some()) {
        names.push(session.selected.profile_name.clone());
    }
    if session.settings.on_command_line.profile {
        let patterns = &session.settings.profiles;
        names.retain(|name| patterns.iter().any(|p| glob_match(p, name)));
        if names.is_empty() {
            return Err(Error::new(
                Exit::NoCredentials,
                format!(
                    "no profile matches --profile {}",
                    patterns.join(" --profile ")
                ),
            )
            .hint(match session.selected.config.profiles.is_empty() {
                true => "there are no profiles: `saymon login --server URL` makes one".to_string(),
                false => format!(
                    "the profiles are: {}",
                    session
                        .selected
                        .config
                        .profiles
                        .keys()
                        .map(|n| crate::redact::inline(n))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
            .into());
        }
    }
    if names.is_empty() {
        return Err(Error::new(
            Exit::NoCredentials,
            format!("no profiles in {}", session.selected.config_dir.display()),
        )
        .hint("run `saymon login --server URL`, or set SAYMON_SERVER and SAYMON_TOKEN")
        .into());
    }
    Ok(names)
}

/// A token to ask a server about: the row it belongs to, the server, its TLS settings.
type Check = (usize, ServerUrl, Tls, Secret);

/// Each profile's row as far as this machine knows it (server, token source), and the
/// checks to make of the servers (none with --offline).
fn read_rows(
    args: &StatusArgs,
    session: &Session<'_>,
    names: Vec<String>,
    env_token: Option<&(Secret, TokenSource)>,
) -> (Vec<Row>, Vec<Check>) {
    let mut rows = Vec::new();
    let mut checks = Vec::new();
    for name in names {
        let selected = name == session.selected.profile_name;
        let profile = session
            .selected
            .config
            .profile(&name)
            .cloned()
            .unwrap_or_default();
        // The global --server and TLS flags, like SAYMON_TOKEN, apply to the selected profile.
        let server = session.selected.server_of(&name);
        let mut row = Row {
            is_default: session.selected.config.default_profile.as_deref() == Some(name.as_str()),
            name,
            selected,
            profile,
            server: None,
            source: None,
            state: TokenState::Missing,
            answer: None,
        };
        let server = match server {
            Ok(server) => server,
            Err(e) => {
                row.state = TokenState::Failed(exit_code(&e), format!("{e:#}"));
                rows.push(row);
                continue;
            }
        };
        row.server = server.clone();
        let token = match (env_token, selected) {
            (Some((token, source)), true) => {
                row.source = Some(source.clone());
                Some(token.clone())
            }
            _ => match stored_token(session, &row.profile, server.as_ref()) {
                Ok(Some((token, source))) => {
                    row.source = Some(source);
                    Some(token)
                }
                Ok(None) => None,
                Err(e) => {
                    row.state = TokenState::Failed(exit_code(&e), format!("{e:#}"));
                    None
                }
            },
        };
        if let (Some(token), Some(server)) = (token, server) {
            if args.offline {
                row.state = TokenState::Present;
            } else {
                let tls = session.connect().tls_of(&row.name, &server);
                checks.push((rows.len(), server, tls, token));
            }
        }
        rows.push(row);
    }
    (rows, checks)
}

/// Ask every server at once (a bounded number), each within --timeout; rows keep their
/// order.
async fn check_all(session: &Session<'_>, rows: &mut [Row], checks: &[Check]) {
    let answers = crate::concurrent::join_bounded(
        checks.iter().map(|(_, server, tls, token)| async move {
            let started = std::time::Instant::now();
            let state = check(session, server, tls, token).await;
            (state, started.elapsed())
        }),
        AT_ONCE,
    )
    .await;
    for ((index, ..), (state, took)) in checks.iter().zip(answers) {
        rows[*index].state = state;
        rows[*index].answer = Some(took);
    }
}

/// The table, or the JSON document, on stdout.
fn show(session: &Session<'_>, rows: &[Row]) -> Result<()> {
    let file = session.stores().credentials_file();
    if session.out.json() {
        let profiles: Vec<Value> = rows.iter().map(|r| row_json(r, &file)).collect();
        session.out.result_json(&json!({
            "selected": session.selected.profile_name,
            "config_dir": session.selected.config_dir,
            "profiles": profiles,
        }))?;
    } else {
        session.out.result(&table(rows))?;
        // Notes for a person go to stderr: stdout is the table alone.
        let mut notes = Vec::new();
        if rows.iter().any(|r| r.selected) {
            notes.push(SELECTED_LEGEND.to_string());
        }
        if let Some(row) = rows.iter().find(|r| r.selected)
            && let Some(source) = row.source.as_ref().filter(|s| s.is_given())
        {
            notes.push(format!(
                "The token of profile {} comes from {source}",
                crate::redact::inline(&row.name)
            ));
        }
        if rows
            .iter()
            .any(|r| r.profile.store == Some(StoreKind::File))
        {
            notes.push(format!("The file store is {}", file.display()));
        }
        if !notes.is_empty() {
            session.out.note(&notes.join("\n"));
        }
    }
    Ok(())
}

/// What `*` marks in the tables of `status` and `profile list`.
pub(super) const SELECTED_LEGEND: &str =
    "* the profile commands use now (--profile, SAYMON_PROFILE, else the default)";

/// The exit: the selected profile decides, unless --all-ok (or it was not among those
/// checked): then the first checked profile whose token does not work, with its fix.
fn judge(args: &StatusArgs, session: &Session<'_>, rows: &[Row]) -> Result<()> {
    let judged: Vec<&Row> = match rows.iter().find(|r| r.selected) {
        Some(row) if !args.all_ok => vec![row],
        _ if args.all_ok || session.settings.on_command_line.profile => rows.iter().collect(),
        _ => {
            return Err(Error::new(
                Exit::NoCredentials,
                format!("there is no profile {}", session.selected.profile_name),
            )
            .hint(session.selected.unknown_profile_hint().unwrap_or_else(|| {
                format!("run `saymon login{}`", session.selected.profile_flag())
            }))
            .into());
        }
    };
    let Some((row, exit)) = judged
        .into_iter()
        .find_map(|r| r.state.exit().map(|exit| (r, exit)))
    else {
        return Ok(());
    };
    let empty_env = if row.selected {
        crate::credentials::empty_env_token_note()
    } else {
        String::new()
    };
    let remembered = exit == Exit::Rejected
        && row
            .server
            .as_ref()
            .is_some_and(|server| session.remembers_password(&row.profile, server));
    Err(Error::new(
        exit,
        format!(
            "the token of profile {} {}{empty_env}",
            crate::redact::inline(&row.name),
            match exit {
                Exit::NoCredentials => "is missing",
                Exit::Rejected => "was rejected",
                Exit::Unreachable => "could not be checked: the server cannot be reached",
                Exit::StoreUnusable => "cannot be read: its store cannot be used",
                _ => "could not be checked",
            }
        ),
    )
    .hint(match (exit, row.source.as_ref().filter(|s| s.is_given())) {
        (Exit::Rejected, Some(given)) => crate::credentials::given_token_refused(given),
        (Exit::Rejected, None) if remembered => format!(
            "run `saymon --profile {} token refresh`: it makes a new one with the remembered password",
            crate::redact::inline(&row.name)
        ),
        (Exit::NoCredentials | Exit::Rejected, _) => {
            format!("run `saymon login --profile {}`", crate::redact::inline(&row.name))
        }
        _ => format!("`saymon doctor --profile {}` checks each step", row.name),
    })
    .into())
}

/// Whether `name` matches `pattern`, where `*` is any run of characters and `?` one.
fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // The classic two-pointer match with backtracking to the last `*`.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn stored_token(
    session: &Session<'_>,
    profile: &Profile,
    server: Option<&ServerUrl>,
) -> Result<Option<(Secret, TokenSource)>> {
    match server {
        Some(server) => session.stored_token(profile, server),
        None => Ok(None),
    }
}

async fn check(session: &Session<'_>, server: &ServerUrl, tls: &Tls, token: &Secret) -> TokenState {
    let result = match session.connect().client_with(server, tls) {
        Ok(client) => client.current_user(&Auth::Token(token)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(user) => TokenState::Works(user["login"].as_str().unwrap_or_default().to_string()),
        Err(e) => TokenState::Failed(exit_code(&e), format!("{e:#}")),
    }
}

fn row_json(row: &Row, credentials_file: &std::path::Path) -> Value {
    let p = &row.profile;
    json!({
        "name": row.name,
        "selected": row.selected,
        "default": row.is_default,
        "server": row.server.as_ref().map(ToString::to_string),
        "login": p.login,
        "user_id": p.user_id,
        "store": p.store.map(StoreKind::name),
        "credentials_file": match p.store {
            Some(StoreKind::File) => Some(credentials_file.to_path_buf()),
            _ => None,
        },
        "token_source": row.source.as_ref().map(TokenSource::kind),
        "token_source_path": row.source.as_ref().and_then(TokenSource::path),
        "token": row.state.key(),
        "detail": match &row.state {
            TokenState::Failed(_, why) => Some(why.clone()),
            _ => None,
        },
        "token_login": match &row.state {
            TokenState::Works(login) => Some(login.clone()),
            _ => None,
        },
        "answer_ms": row.answer.map(|d| d.as_millis() as u64),
    })
}

fn table(rows: &[Row]) -> String {
    let header = [
        "PROFILE",
        "SERVER",
        "LOGIN",
        "USER ID",
        "STORE",
        "TOKEN FROM",
        "ANSWER",
        "TOKEN",
    ];
    let mut lines: Vec<Vec<String>> = vec![header.map(String::from).to_vec()];
    for row in rows {
        let mark = if row.selected { "*" } else { " " };
        let default = if row.is_default { " (default)" } else { "" };
        let store = row.profile.store.map_or("-", StoreKind::name).to_string();
        lines.push(vec![
            format!("{mark}{}{default}", row.name),
            row.server.as_ref().map_or("-".into(), ToString::to_string),
            row.profile.login.clone().unwrap_or_else(|| "-".into()),
            row.profile.user_id.clone().unwrap_or_else(|| "-".into()),
            store,
            row.source
                .as_ref()
                .map_or("-".into(), |s| s.kind().to_string()),
            row.answer
                .map_or("-".into(), |d| format!("{} ms", d.as_millis())),
            row.state.text(),
        ]);
    }
    crate::output::table(&lines)
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        for (pattern, name, matches) in [
            ("prod-*", "prod-eu", true),
            ("prod-*", "prod-", true),
            ("prod-*", "staging", false),
            ("*", "", true),
            ("", "", true),
            ("", "a", false),
            ("p?od", "prod", true),
            ("p?od", "pod", false),
            ("*-eu-*", "prod-eu-1", true),
            ("*-eu-*", "prod-us-1", false),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
            ("exact", "exact", true),
            ("exact", "exactly", false),
        ] {
            assert_eq!(glob_match(pattern, name), matches, "{pattern} {name}");
        }
    }
}
