//! `saymon status`: every profile, where its secrets live, which token source wins, and
//! (unless --offline) whether the server accepts the token.

use anyhow::Result;
use serde_json::{Value, json};

use crate::cli::StatusArgs;
use crate::client::{Auth, Tls};
use crate::config::{Profile, StoreKind};
use crate::credentials::{Session, env_token};
use crate::error::{Error, Exit, exit_code};
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::{self, SecretKind};
use crate::store::{TokenSource, stored_secret};

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
}

pub async fn run(args: &StatusArgs, session: &Session<'_>) -> Result<()> {
    let env_token = env_token();
    let mut names: Vec<String> = session.config.profiles.keys().cloned().collect();
    let selected_exists = names.contains(&session.profile_name);
    if !selected_exists && (env_token.is_some() || session.global.server.is_some()) {
        names.push(session.profile_name.clone());
    }
    if names.is_empty() {
        return Err(Error::new(
            Exit::NoCredentials,
            format!("no profiles in {}", session.config_dir.display()),
        )
        .hint("run `saymon login --server URL`, or set SAYMON_SERVER and SAYMON_TOKEN")
        .into());
    }

    let mut rows = Vec::new();
    for name in names {
        let selected = name == session.profile_name;
        let profile = session.config.profile(&name).cloned().unwrap_or_default();
        // The global --server and TLS flags, like SAYMON_TOKEN, apply to the selected profile.
        let server = if selected {
            session.server()
        } else {
            profile
                .server
                .as_deref()
                .map(ServerUrl::parse)
                .transpose()
                .map_err(Into::into)
        };
        let mut row = Row {
            is_default: session.config.default_profile.as_deref() == Some(name.as_str()),
            name,
            selected,
            profile,
            server: None,
            source: None,
            state: TokenState::Missing,
        };
        let server = match server {
            Ok(server) => server,
            Err(e) => {
                row.state = TokenState::Failed(exit_code(&e), e.to_string());
                rows.push(row);
                continue;
            }
        };
        row.server = server.clone();
        let token = match (&env_token, selected) {
            (Some(token), true) => {
                row.source = Some(TokenSource::Environment);
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
            row.state = if args.offline {
                TokenState::Present
            } else {
                // The selected profile's settings, or the other profile's own.
                let tls = if selected {
                    session.tls(&server)
                } else {
                    Tls::of(&row.profile)
                };
                check(session, &server, &tls, &token).await
            };
        }
        rows.push(row);
    }

    let file = session.config_dir.join(store::file::CREDENTIALS_FILE);
    if session.out.json() {
        let profiles: Vec<Value> = rows.iter().map(|r| row_json(r, &file)).collect();
        session.out.result_json(&json!({
            "selected": session.profile_name,
            "config_dir": session.config_dir,
            "profiles": profiles,
        }))?;
    } else {
        session.out.result(&table(&rows, &file))?;
    }
    let selected = rows.iter().find(|r| r.selected);
    match selected.map(|r| r.state.exit()) {
        Some(None) => Ok(()),
        Some(Some(exit)) => Err(Error::new(
            exit,
            format!(
                "the token of profile {} {}",
                session.profile_name,
                match exit {
                    Exit::NoCredentials => "is missing",
                    Exit::Rejected => "was rejected",
                    Exit::Unreachable => "could not be checked: the server cannot be reached",
                    Exit::StoreUnusable => "cannot be read: its store cannot be used",
                    _ => "could not be checked",
                }
            ),
        )
        .into()),
        None => Err(Error::new(
            Exit::NoCredentials,
            format!("there is no profile {}", session.profile_name),
        )
        .hint(format!("run `saymon login{}`", session.profile_flag()))
        .into()),
    }
}

fn stored_token(
    session: &Session<'_>,
    profile: &Profile,
    server: Option<&ServerUrl>,
) -> Result<Option<(Secret, TokenSource)>> {
    let (Some(kind), Some(server)) = (profile.store, server) else {
        return Ok(None);
    };
    let store = session.store_of(kind);
    let token = stored_secret(
        profile,
        store.as_ref(),
        server,
        SecretKind::Token,
        session.out,
    )?;
    Ok(token.map(|t| (t, TokenSource::of_store(kind, &session.config_dir))))
}

async fn check(session: &Session<'_>, server: &ServerUrl, tls: &Tls, token: &Secret) -> TokenState {
    let result = match session.client_with(server, tls) {
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
        "token": row.state.key(),
        "detail": match &row.state {
            TokenState::Failed(_, why) => Some(why.clone()),
            _ => None,
        },
        "token_login": match &row.state {
            TokenState::Works(login) => Some(login.clone()),
            _ => None,
        },
    })
}

fn table(rows: &[Row], credentials_file: &std::path::Path) -> String {
    let header = [
        "PROFILE",
        "SERVER",
        "LOGIN",
        "USER ID",
        "STORE",
        "TOKEN FROM",
        "TOKEN",
    ];
    let mut lines: Vec<[String; 7]> = vec![header.map(String::from)];
    for row in rows {
        let mark = if row.selected { "*" } else { " " };
        let default = if row.is_default { " (default)" } else { "" };
        let store = row.profile.store.map_or("-", StoreKind::name).to_string();
        lines.push([
            format!("{mark}{}{default}", row.name),
            row.server.as_ref().map_or("-".into(), ToString::to_string),
            row.profile.login.clone().unwrap_or_else(|| "-".into()),
            row.profile.user_id.clone().unwrap_or_else(|| "-".into()),
            store,
            row.source
                .as_ref()
                .map_or("-".into(), |s| s.kind().to_string()),
            row.state.text(),
        ]);
    }
    let widths: Vec<usize> = (0..7)
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 6 {
                    c.clone()
                } else {
                    format!("{c:<w$}", w = widths[i])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    if rows
        .iter()
        .any(|r| r.profile.store == Some(StoreKind::File))
    {
        out.push_str(&format!(
            "\nThe file store is {}\n",
            credentials_file.display()
        ));
    }
    out
}
