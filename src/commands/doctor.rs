//! `saymon doctor`: every step between this machine and a working token, checked in order,
//! one line each: ✔, ⚠ (works, but see to it) or ✘ with the fix; `-` when a step could
//! not be tried because an earlier one failed. Exit 0 when nothing failed, else the exit
//! code of the first failure.

use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::{Value, json};

use crate::cli::{DoctorArgs, GlobalArgs};
use crate::client::certificate::{self, Described};
use crate::client::{Auth, Client, Tls, VouchedBy};
use crate::config::{self, Profile, StoreKind};
use crate::credentials::{Session, env_token};
use crate::error::{self, Error, Exit, exit_code};
use crate::output::Output;
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::{self, SecretKind, TokenSource, stored_secret};

/// A certificate this close to its end is a warning.
const EXPIRY_WARNING_DAYS: i64 = 14;
/// How many profiles `--all` checks at once.
const AT_ONCE: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pass,
    Warn,
    Fail,
    Skip,
}

struct Check {
    name: &'static str,
    state: State,
    detail: String,
    fix: Option<String>,
    exit: Option<Exit>,
    data: Option<Value>,
}

impl Check {
    fn pass(name: &'static str, detail: impl Into<String>) -> Check {
        Check {
            name,
            state: State::Pass,
            detail: detail.into(),
            fix: None,
            exit: None,
            data: None,
        }
    }

    fn warn(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            state: State::Warn,
            fix: Some(fix.into()),
            ..Check::pass(name, detail)
        }
    }

    fn skip(name: &'static str, why: impl Into<String>) -> Check {
        Check {
            state: State::Skip,
            ..Check::pass(name, why)
        }
    }

    /// A failed step, told by its error: the message, its hint as the fix (without advice
    /// to run doctor, which is running), its exit code.
    fn fail(name: &'static str, err: &anyhow::Error) -> Check {
        let fix = error::hint(err).map(|hint| {
            hint.split("; ")
                .filter(|part| !part.contains("saymon doctor"))
                .collect::<Vec<_>>()
                .join("; ")
        });
        Check {
            name,
            state: State::Fail,
            detail: format!("{err:#}"),
            fix: fix.filter(|f| !f.is_empty()),
            exit: Some(exit_code(err)),
            data: None,
        }
    }

    fn with_data(mut self, data: Value) -> Check {
        self.data = Some(data);
        self
    }

    fn line(&self) -> String {
        let mark = match self.state {
            State::Pass => "✔",
            State::Warn => "⚠",
            State::Fail => "✘",
            State::Skip => "-",
        };
        let mut line = format!("{mark} {:<12} {}", self.name, self.detail);
        if let Some(fix) = &self.fix {
            line.push_str(&format!("; fix: {fix}"));
        }
        line
    }

    fn json(&self) -> Value {
        let mut value = json!({
            "check": self.name,
            "state": match self.state {
                State::Pass => "pass",
                State::Warn => "warn",
                State::Fail => "fail",
                State::Skip => "skip",
            },
            "detail": self.detail,
            "fix": self.fix,
            "exit": self.exit.map(|e| e as i32),
        });
        if let Some(data) = &self.data {
            value["data"] = data.clone();
        }
        value
    }
}

/// One profile to check, with what its local checks found.
struct Target {
    name: String,
    server: Result<ServerUrl>,
    tls: Tls,
    login: Option<String>,
    checks: Vec<Check>,
    token: Option<(Secret, TokenSource)>,
    /// Why there is no token, when a store failed (already a ✘ above) or none is stored.
    no_token: Option<anyhow::Error>,
    password: Option<Secret>,
}

pub async fn run(args: &DoctorArgs, global: &GlobalArgs, out: &Output) -> Result<()> {
    let mut checks = Vec::new();
    let (session, config_read) = match Session::load(global, out) {
        Ok(session) => {
            checks.push(config_check(&session));
            (session, true)
        }
        Err(e) => {
            checks.push(Check::fail("config", &e));
            (Session::without_config(global, out)?, false)
        }
    };
    checks.push(credentials_check(&session));

    // An unreadable config has no profiles to check: that is its one failure, not a
    // second one about a profile without a server (--server still names one to check).
    let names: Vec<String> = if !config_read && global.server.is_none() {
        Vec::new()
    } else if args.all {
        session.config.profiles.keys().cloned().collect()
    } else {
        vec![session.profile_name.clone()]
    };
    if names.is_empty() && config_read {
        checks.push(Check::fail(
            "profiles",
            &Error::new(
                Exit::NoCredentials,
                format!("no profiles in {}", session.config_dir.display()),
            )
            .hint("run `saymon login --server URL`")
            .into(),
        ));
    }
    // A mistyped --profile: that is the finding, with the profiles there are.
    let names = match session.check_profile_exists() {
        Err(e) if config_read && !args.all => {
            checks.push(Check::fail("profile", &e));
            Vec::new()
        }
        _ => names,
    };
    let mut targets: Vec<Target> = names.iter().map(|name| local(&session, name)).collect();
    if !config_read {
        // No profile could be read: its token is not missing, it is unknown.
        for target in &mut targets {
            if target.token.is_none() {
                target.no_token = None;
            }
        }
    }
    let targets =
        crate::concurrent::join_bounded(targets.into_iter().map(|t| network(&session, t)), AT_ONCE)
            .await;

    report(&session, &checks, &targets)?;
    let first_failure = checks
        .iter()
        .chain(targets.iter().flat_map(|t| &t.checks))
        .find(|c| c.state == State::Fail);
    let failures = checks
        .iter()
        .chain(targets.iter().flat_map(|t| &t.checks))
        .filter(|c| c.state == State::Fail)
        .count();
    match first_failure {
        None => Ok(()),
        Some(first) => {
            let mut error = Error::new(
                first.exit.unwrap_or(Exit::Failure),
                if failures == 1 {
                    format!("1 check failed: {}", first.name)
                } else {
                    format!("{failures} checks failed, the first: {}", first.name)
                },
            );
            if let Some(fix) = &first.fix {
                error = error.hint(fix.clone());
            }
            Err(error.into())
        }
    }
}

fn report(session: &Session<'_>, checks: &[Check], targets: &[Target]) -> Result<()> {
    let out = session.out;
    if out.json() {
        let ok = !checks
            .iter()
            .chain(targets.iter().flat_map(|t| &t.checks))
            .any(|c| c.state == State::Fail);
        let profiles: Vec<Value> = targets
            .iter()
            .map(|t| {
                json!({
                    "profile": t.name,
                    "server": t.server.as_ref().ok().map(ToString::to_string),
                    "checks": t.checks.iter().map(Check::json).collect::<Vec<_>>(),
                })
            })
            .collect();
        out.result_json(&json!({
            "ok": ok,
            "config_dir": session.config_dir,
            "checks": checks.iter().map(Check::json).collect::<Vec<_>>(),
            "profiles": profiles,
        }))?;
        return Ok(());
    }
    let mut text = String::new();
    for check in checks {
        text.push_str(&check.line());
        text.push('\n');
    }
    for target in targets {
        let server = match &target.server {
            Ok(server) => server.to_string(),
            Err(_) => "no server".to_string(),
        };
        text.push_str(&format!("profile {} ({server})\n", target.name));
        for check in &target.checks {
            text.push_str("  ");
            text.push_str(&check.line());
            text.push('\n');
        }
    }
    out.result(&text)?;
    Ok(())
}

fn config_check(session: &Session<'_>) -> Check {
    let path = session.config_dir.join(config::CONFIG_FILE);
    if !path.exists() {
        return Check::pass(
            "config",
            format!("{}: none yet (no profiles)", path.display()),
        );
    }
    let count = session.config.profiles.len();
    Check::pass(
        "config",
        format!(
            "{}: {count} profile{}, only you can change it",
            path.display(),
            if count == 1 { "" } else { "s" }
        ),
    )
}

fn credentials_check(session: &Session<'_>) -> Check {
    let file = store::file::FileStore::new(&session.config_dir);
    let path = file.path().display().to_string();
    if !file.path().exists() {
        return Check::skip(
            "credentials",
            format!("{path}: none (no secret kept in a file)"),
        );
    }
    // Reading it checks its mode and that it parses.
    match store::SecretStore::get(&file, "doctor@check", SecretKind::Token) {
        Ok(_) => Check::pass("credentials", format!("{path}: only you can read it")),
        Err(e) => Check::fail("credentials", &e),
    }
}

/// A profile's local checks (its store), and what the network checks need.
fn local(session: &Session<'_>, name: &str) -> Target {
    let selected = name == session.profile_name;
    let profile = session.config.profile(name).cloned().unwrap_or_default();
    // The global --server, TLS flags and SAYMON_TOKEN apply to the selected profile only.
    let server = session.server_of(name).and_then(|server| {
        server.ok_or_else(|| {
            let hint = if selected {
                "run `saymon login --server URL`, or pass --server".to_string()
            } else {
                format!("run `saymon login --profile {name} --server URL`")
            };
            Error::new(Exit::Usage, format!("profile {name} has no server"))
                .hint(hint)
                .into()
        })
    });
    let tls = server
        .as_ref()
        .map(|server| session.tls_of(name, server))
        .unwrap_or_default();
    let mut target = Target {
        name: name.to_string(),
        login: profile.login.clone(),
        server,
        tls,
        checks: Vec::new(),
        token: None,
        no_token: None,
        password: None,
    };
    if selected {
        match env_token() {
            Ok(Some(token)) => target.token = Some((token, TokenSource::Environment)),
            Ok(None) => {}
            Err(e) => target.no_token = Some(e),
        }
    }
    if selected && let Some(password) = std::env::var_os("SAYMON_PASSWORD") {
        target.password = password.into_string().ok().map(Secret::new);
    }
    let Ok(server) = target.server.as_ref().map(Clone::clone) else {
        return target;
    };
    // A rescued token (see `issue`) wins over the store's, as for every command.
    if target.token.is_none()
        && let Some(login) = profile.login.as_deref()
        && let Ok(Some(token)) = session.rescued_token(login, &server)
    {
        let source = TokenSource::Rescued(session.rescue().path().to_path_buf());
        target.checks.push(Check::warn(
            "rescue",
            format!("a new token waits in {source}: its store could not take it"),
            format!(
                "move it with `saymon login{} --store {}` once the store works",
                profile_flag(session, name),
                profile.store.map_or("keyring", |k| k.name())
            ),
        ));
        target.token = Some((token, source));
    }
    match profile.store {
        Some(kind) => stored(session, &profile, kind, &server, &mut target),
        None if target.token.is_none() => {
            target.no_token = Some(
                Error::new(
                    Exit::NoCredentials,
                    format!(
                        "profile {name} has no stored token{}",
                        if selected {
                            crate::credentials::empty_env_token_note()
                        } else {
                            ""
                        }
                    ),
                )
                .hint(format!("run `saymon login{}`", profile_flag(session, name)))
                .into(),
            );
        }
        None => {}
    }
    target
}

/// The profile's token (unless SAYMON_TOKEN wins) and remembered password from its store;
/// for the keyring, a check of its own.
fn stored(
    session: &Session<'_>,
    profile: &Profile,
    kind: StoreKind,
    server: &ServerUrl,
    target: &mut Target,
) {
    let store = session.store_of(kind);
    let started = Instant::now();
    let token = stored_secret(
        profile,
        store.as_ref(),
        server,
        SecretKind::Token,
        session.out,
    );
    if kind == StoreKind::Keyring {
        target.checks.push(match &token {
            Ok(_) => Check::pass(
                "keyring",
                format!(
                    "{} answered in {} ms",
                    store.describe(),
                    started.elapsed().as_millis()
                ),
            ),
            Err(e) => Check::fail("keyring", e),
        });
    }
    match token {
        Ok(Some(token)) if target.token.is_none() => {
            target.token = Some((token, TokenSource::of_store(kind, &session.config_dir)));
        }
        Ok(None) if target.token.is_none() => {
            target.no_token = Some(
                Error::new(
                    Exit::NoCredentials,
                    format!("no token stored for profile {}", target.name),
                )
                .hint(format!(
                    "run `saymon login{}`",
                    profile_flag(session, &target.name)
                ))
                .into(),
            );
        }
        Err(e) if target.token.is_none() => target.no_token = Some(e),
        _ => {}
    }
    if target.password.is_none()
        && let Ok(Some(password)) = stored_secret(
            profile,
            store.as_ref(),
            server,
            SecretKind::Password,
            session.out,
        )
    {
        target.password = Some(password);
    }
}

fn profile_flag(session: &Session<'_>, name: &str) -> String {
    if name == config::DEFAULT_PROFILE && session.config.default_profile.is_none() {
        String::new()
    } else {
        format!(" --profile {name}")
    }
}

/// The network steps, in order; each needs the one before it.
async fn network(session: &Session<'_>, mut target: Target) -> Target {
    let server = match &target.server {
        Ok(server) => server.clone(),
        Err(e) => {
            target.checks.push(Check::fail("server", e));
            return target;
        }
    };
    let client = match session.client_with(&server, &target.tls) {
        Ok(client) => client,
        Err(e) => {
            target.checks.push(Check::fail("TLS setup", &e));
            return target;
        }
    };
    let timeout = Duration::from_secs(session.global.timeout);
    // Through a proxy, the proxy is what this machine looks up and connects to.
    let (host, port, via) = match client.proxy().and_then(|p| url::Url::parse(p).ok()) {
        Some(proxy) => (
            proxy.host_str().unwrap_or_default().to_string(),
            proxy.port_or_known_default().unwrap_or(80),
            format!(" (the proxy for {})", server.host()),
        ),
        None => (server.host().to_string(), server.port(), String::new()),
    };
    let addresses = match dns(&host, port, timeout).await {
        Ok(addresses) => addresses,
        Err(e) => {
            target.checks.push(Check::fail("DNS", &e));
            return skip_rest(target, "DNS");
        }
    };
    let shown: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
    target.checks.push(Check::pass(
        "DNS",
        if host.parse::<std::net::IpAddr>().is_ok() {
            format!("{host}{via}: an address, nothing to look up")
        } else {
            format!("{host}{via} is {}", shown.join(", "))
        },
    ));
    match tcp(&addresses, timeout).await {
        Ok(detail) => target
            .checks
            .push(Check::pass("TCP", format!("{detail}{via}"))),
        Err(e) => {
            target.checks.push(Check::fail("TCP", &e));
            return skip_rest(target, "TCP");
        }
    }
    let reached = client.reach().await;
    let tls_failed =
        matches!(&reached, Err(u) if u.in_tls) || handshake_stalled(&client, &server, &reached);
    target.checks.push(tls_check(&client, &server, &reached));
    let response = match reached {
        Ok(response) => response,
        Err(unreached) => {
            if !tls_failed {
                target.checks.push(Check::fail("server", &unreached.error));
            }
            return skip_rest(target, if tls_failed { "TLS" } else { "server" });
        }
    };
    match client.version_hash(response).await {
        Ok(hash) => target.checks.push(Check::pass(
            "server",
            format!("SAYMON answered GET /node/api/version/hash: {hash}"),
        )),
        Err(e) => {
            target.checks.push(Check::fail("server", &e));
            return skip_rest(target, "server");
        }
    }
    token_checks(&client, &mut target).await;
    target
}

/// The steps after a failed one, marked as not tried.
fn skip_rest(mut target: Target, failed: &str) -> Target {
    let after = ["DNS", "TCP", "TLS", "server", "token"];
    let start = after
        .iter()
        .position(|s| *s == failed)
        .map_or(after.len(), |i| i + 1);
    for name in &after[start..] {
        target
            .checks
            .push(Check::skip(name, format!("not tried: {failed} failed")));
    }
    target
}

async fn dns(host: &str, port: u16, timeout: Duration) -> Result<Vec<std::net::SocketAddr>> {
    let lookup = tokio::net::lookup_host((host, port));
    let failed = |why: String| -> anyhow::Error {
        Error::new(Exit::Unreachable, format!("cannot look up {host}: {why}"))
            .hint("check the host name in --server (or the proxy's) and this machine's DNS (/etc/resolv.conf)")
            .into()
    };
    match tokio::time::timeout(timeout, lookup).await {
        Ok(Ok(addresses)) => {
            let addresses: Vec<_> = addresses.collect();
            if addresses.is_empty() {
                Err(failed("no addresses".into()))
            } else {
                Ok(addresses)
            }
        }
        Ok(Err(e)) => Err(failed(e.to_string())),
        Err(_) => Err(failed(format!("no answer in {} s", timeout.as_secs()))),
    }
}

async fn tcp(addresses: &[std::net::SocketAddr], timeout: Duration) -> Result<String> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut last = String::new();
    for address in addresses {
        let started = Instant::now();
        match tokio::time::timeout_at(deadline, tokio::net::TcpStream::connect(address)).await {
            Ok(Ok(_)) => {
                return Ok(format!(
                    "connected to {address} in {} ms",
                    started.elapsed().as_millis()
                ));
            }
            Ok(Err(e)) => last = format!("{address}: {e}"),
            Err(_) => last = format!("{address}: no answer in {} s", timeout.as_secs()),
        }
    }
    Err(Error::new(Exit::Unreachable, format!("cannot connect to {last}"))
        .hint("is the server up, is the port in --server right, and does a firewall let this machine through?")
        .into())
}

/// The deadline passed before the server showed a certificate, after TCP connected (the
/// TCP step came before): the TLS handshake stalled, not the server's answer.
fn handshake_stalled(
    client: &Client<'_>,
    server: &ServerUrl,
    reached: &std::result::Result<reqwest::Response, crate::client::Unreached>,
) -> bool {
    server.is_https()
        && client.presented().is_none()
        && client.out_of_time()
        && matches!(reached, Err(u) if !u.in_tls)
}

fn tls_check(
    client: &Client<'_>,
    server: &ServerUrl,
    reached: &std::result::Result<reqwest::Response, crate::client::Unreached>,
) -> Check {
    if !server.is_https() {
        return if server.is_loopback() {
            Check::pass(
                "TLS",
                "none: plain http:// on this machine, nothing leaves it",
            )
        } else {
            Check::warn(
                "TLS",
                "none: plain http://, so the password and token cross the network unencrypted",
                "use https:// if the server offers it",
            )
        };
    }
    if handshake_stalled(client, server, reached) {
        return Check::fail(
            "TLS",
            &Error::new(
                Exit::Unreachable,
                format!(
                    "the TLS handshake did not finish within --timeout ({} s): the port took the connection but sent no certificate",
                    client.timeout().as_secs()
                ),
            )
            .hint("is this port a TLS server? a proxy or firewall may hold the connection; check --server's port")
            .into(),
        );
    }
    if let Err(unreached) = reached
        && unreached.in_tls
    {
        let mut check = Check::fail("TLS", &unreached.error);
        if let Some(presented) = client.presented()
            && let Some(described) = certificate::describe(presented.certificate.as_ref())
        {
            check = check.with_data(certificate_data(&described, presented.vouched_by));
        }
        return check;
    }
    let Some(presented) = client.presented() else {
        return Check::skip("TLS", "no handshake was made");
    };
    let Some(described) = certificate::describe(presented.certificate.as_ref()) else {
        return Check::pass("TLS", "handshake made (the certificate could not be read)");
    };
    let now = certificate::now();
    let days = described.days_left(now);
    let detail = format!(
        "{}; verified: {}",
        summary(&described, now),
        presented.vouched_by.map_or("?", VouchedBy::describe)
    );
    let data = certificate_data(&described, presented.vouched_by);
    let check = if days < EXPIRY_WARNING_DAYS && presented.vouched_by != Some(VouchedBy::Nobody) {
        Check::warn(
            "TLS",
            detail,
            format!(
                "renew the server's certificate before {}",
                certificate::date(described.not_after)
            ),
        )
    } else if presented.vouched_by == Some(VouchedBy::Nobody) {
        Check::warn(
            "TLS",
            detail,
            "pass --ca-cert FILE.pem (the CA, or this certificate) and log in without --insecure",
        )
    } else {
        Check::pass("TLS", detail)
    };
    check.with_data(data)
}

/// "for a and b, issued by X, until DATE (in N days)".
fn summary(c: &Described, now: i64) -> String {
    let issued = if c.self_signed {
        "self-signed".to_string()
    } else {
        format!("issued by {}", c.issuer)
    };
    format!(
        "{} for {}, {issued}, valid until {} ({} days left)",
        c.subject,
        c.names_listed(),
        certificate::date(c.not_after),
        c.days_left(now)
    )
}

fn certificate_data(c: &Described, vouched_by: Option<VouchedBy>) -> Value {
    json!({
        "subject": c.subject,
        "issuer": c.issuer,
        "names": c.names,
        "not_before": certificate::date(c.not_before),
        "not_after": certificate::date(c.not_after),
        "days_left": c.days_left(certificate::now()),
        "verified_by": vouched_by.map(|v| match v {
            VouchedBy::Pinned => "pinned",
            VouchedBy::CaFile => "ca-cert",
            VouchedBy::System => "system",
            VouchedBy::Nobody => "none",
        }),
    })
}

/// The token accepted; and when it is refused while the password works, that token
/// authentication may be off on the server.
async fn token_checks(client: &Client<'_>, target: &mut Target) {
    let Some((token, source)) = &target.token else {
        match target.no_token.take() {
            // A store that failed has its own ✘ above.
            Some(e) if exit_code(&e) == Exit::StoreUnusable => target
                .checks
                .push(Check::skip("token", "not tried: the store failed")),
            Some(e) => target.checks.push(Check::fail("token", &e)),
            None => target.checks.push(Check::skip(
                "token",
                "none at hand (no SAYMON_TOKEN, no profile read)",
            )),
        }
        return;
    };
    let refused = match client.current_user(&Auth::Token(token)).await {
        Ok(user) => {
            target.checks.push(Check::pass(
                "token",
                format!(
                    "accepted: the token of {source} belongs to {}",
                    crate::redact::server_text(user["login"].as_str().unwrap_or("?"), 80)
                ),
            ));
            return;
        }
        Err(e) => {
            let refused = exit_code(&e) == Exit::Rejected;
            let e = if refused {
                error::on_rejection(
                    e,
                    "the token was replaced by a newer one or revoked: run `saymon token refresh` or `saymon login`",
                )
            } else {
                e
            };
            target.checks.push(Check::fail("token", &e));
            refused
        }
    };
    let (Some(login), Some(password)) = (&target.login, &target.password) else {
        return;
    };
    if !refused {
        return;
    }
    let basic = Auth::Basic { login, password };
    if client.current_user(&basic).await.is_ok() {
        target.checks.push(Check::fail(
            "token auth",
            &Error::new(
                Exit::Rejected,
                format!("the password of {login} works, but the token is refused: token authentication may be switched off on the server"),
            )
            .hint("run `saymon token refresh`; if the new token is refused too, ask the server's admin to turn token authentication on")
            .into(),
        ));
    }
}
