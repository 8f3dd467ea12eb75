//! The one place that knows precedence: where the profile, server, login, password, token
//! and secret store come from, and which source won, so that messages and `-v` can say it.
//!
//! - profile:  --profile, SAYMON_PROFILE, the config's default profile, "default"
//! - server:   --server, SAYMON_SERVER, the profile's
//! - login:    --login, SAYMON_LOGIN, the profile's, a prompt at a terminal
//! - password: --password-stdin, --password-file, SAYMON_PASSWORD, a hidden prompt
//! - token:    SAYMON_TOKEN, the profile's stored token
//! - store:    --store, the profile's, auto (the keyring, else ask, else fail)

use std::io::{self, BufRead};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cli::{CredentialArgs, GlobalArgs, StoreChoice};
use crate::client::{Client, ClientOptions, Tls};
use crate::config::{self, Config, Profile, StoreKind};
use crate::error::{Error, Exit};
use crate::output::{self, Output};
use crate::prompt::{prompt_line, strip_newline};
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::file::FileStore;
use crate::store::keyring::KeyringStore;
use crate::store::{self, SecretKind, SecretStore, TokenSource, legacy_account_of, stored_secret};

/// The state every command starts from: options, config, the selected profile.
pub struct Session<'a> {
    pub global: &'a GlobalArgs,
    pub out: &'a Output,
    pub config_dir: PathBuf,
    pub config: Config,
    pub profile_name: String,
    pub interactive: bool,
    /// The run's one keyring connection, shared by every profile (see `store::keyring`).
    keyring: KeyringStore,
}

impl<'a> Session<'a> {
    pub fn load(global: &'a GlobalArgs, out: &'a Output) -> Result<Self> {
        let config_dir = config::config_dir(global.config_dir.as_deref())?;
        let config = config::load(&config_dir)?;
        Ok(Self::with(global, out, config_dir, config))
    }

    /// A session without the config, for `doctor` when the config cannot be read.
    pub fn without_config(global: &'a GlobalArgs, out: &'a Output) -> Result<Self> {
        let config_dir = config::config_dir(global.config_dir.as_deref())?;
        Ok(Self::with(global, out, config_dir, Config::default()))
    }

    fn with(global: &'a GlobalArgs, out: &'a Output, config_dir: PathBuf, config: Config) -> Self {
        let profile_name = config.profile_name(global.profile());
        let interactive = output::interactive();
        let keyring = KeyringStore::new(Duration::from_secs(global.timeout), interactive);
        Session {
            global,
            out,
            config_dir,
            config,
            profile_name,
            interactive,
            keyring,
        }
    }

    pub fn profile(&self) -> Option<&Profile> {
        self.config.profile(&self.profile_name)
    }

    /// Before a command that may create the selected profile: exit 2 when it does not
    /// exist and its name is not one a new profile may have (`config::valid_profile_name`).
    pub fn check_new_profile(&self) -> Result<()> {
        if self.profile().is_some() || config::valid_profile_name(&self.profile_name) {
            return Ok(());
        }
        Err(Error::new(
            Exit::Usage,
            format!(
                "cannot create profile {}: a profile name is letters, digits, '.', '_' and '-' (at most 64)",
                crate::redact::server_text(&self.profile_name, 64)
            ),
        )
        .hint("pick a name such as prod, lab-2 or saymon.example")
        .into())
    }

    /// The server from --server / SAYMON_SERVER, else the profile's. A bad address is
    /// exit 2 naming where it came from.
    pub fn server(&self) -> Result<Option<ServerUrl>> {
        if let Some(text) = self.global.server.as_deref() {
            let source = if std::env::var_os("SAYMON_SERVER").is_some_and(|v| v == text) {
                "SAYMON_SERVER"
            } else {
                "--server"
            };
            return parse_server(text, source).map(Some);
        }
        self.profile_server(&self.profile_name)
    }

    /// Profile `name`'s own server, from config.toml.
    fn profile_server(&self, name: &str) -> Result<Option<ServerUrl>> {
        let Some(text) = self.config.profile(name).and_then(|p| p.server.as_deref()) else {
            return Ok(None);
        };
        let source = format!(
            "profile {} in {}",
            crate::redact::inline(name),
            self.config_dir.join(config::CONFIG_FILE).display()
        );
        parse_server(text, &source).map(Some)
    }

    /// The server, or for a person at a terminal a prompt for it.
    pub fn server_or_prompt(&self) -> Result<ServerUrl> {
        if let Some(server) = self.server()? {
            return Ok(server);
        }
        if self.interactive {
            let answer = prompt_line("SAYMON server (host or URL): ")?;
            return Ok(ServerUrl::parse(&answer)?);
        }
        Err(Error::new(
            Exit::Usage,
            format!(
                "no server given for profile {}{}",
                self.profile_name,
                output::not_asked()
            ),
        )
        .hint("pass --server URL or set SAYMON_SERVER")
        .into())
    }

    /// The CA certificate: --ca-cert / SAYMON_CA_CERT, else the profile's.
    pub fn ca_cert(&self) -> Option<PathBuf> {
        self.global
            .ca_cert
            .clone()
            .or_else(|| self.profile().and_then(|p| p.ca_cert.clone()))
    }

    /// The TLS settings for `server`: each from its flag or variable, else the profile's;
    /// the profile's `login --insecure` only for the profile's own server.
    pub fn tls(&self, server: &ServerUrl) -> Tls {
        let profile = self.profile();
        // The certificate and its key come as a pair: a flag for one replaces both.
        let (client_cert, client_key) =
            if self.global.client_cert.is_some() || self.global.client_key.is_some() {
                (
                    self.global.client_cert.clone(),
                    self.global.client_key.clone(),
                )
            } else {
                (
                    profile.and_then(|p| p.client_cert.clone()),
                    profile.and_then(|p| p.client_key.clone()),
                )
            };
        Tls {
            ca_cert: self.ca_cert(),
            client_cert,
            client_key,
            insecure: self.insecure(server),
        }
    }

    /// Profile `name`'s server: for the selected profile --server / SAYMON_SERVER win, as
    /// for every command; another profile has its own (`status`, `doctor --all`).
    pub fn server_of(&self, name: &str) -> Result<Option<ServerUrl>> {
        if name == self.profile_name {
            return self.server();
        }
        self.profile_server(name)
    }

    /// Profile `name`'s TLS settings for `server`: the flags' for the selected profile,
    /// another profile's own otherwise.
    pub fn tls_of(&self, name: &str, server: &ServerUrl) -> Tls {
        if name == self.profile_name {
            self.tls(server)
        } else {
            self.config.profile(name).map(Tls::of).unwrap_or_default()
        }
    }

    pub fn client(&self, server: &ServerUrl) -> Result<Client<'a>> {
        self.client_with(server, &self.tls(server))
    }

    /// Whether the certificate of `server` goes unverified: --insecure, or the profile's
    /// `login --insecure` when `server` is the profile's own.
    pub fn insecure(&self, server: &ServerUrl) -> bool {
        self.global.insecure
            || self.profile().is_some_and(|p| {
                p.insecure
                    && p.server
                        .as_deref()
                        .and_then(|s| ServerUrl::parse(s).ok())
                        .is_some_and(|s| s.same_origin_as(server))
            })
    }

    /// A client for `server` with these TLS settings (another profile's, for `status`).
    pub fn client_with(&self, server: &ServerUrl, tls: &Tls) -> Result<Client<'a>> {
        Client::new(
            server.clone(),
            &ClientOptions {
                tls,
                timeout: Duration::from_secs(self.global.timeout),
                retries: self.global.retries,
            },
            self.out,
        )
    }

    /// Whether the selected profile is this login on this server, so that what the
    /// profile remembers (the user id, the stored token) belongs to it.
    pub fn profile_is(&self, server: &ServerUrl, login: &str) -> bool {
        self.profile().is_some_and(|p| {
            p.login.as_deref() == Some(login)
                && p.server
                    .as_deref()
                    .and_then(|s| ServerUrl::parse(s).ok())
                    .as_ref()
                    == Some(server)
        })
    }

    /// The login: --login / SAYMON_LOGIN, else the profile's, else a prompt.
    pub fn login_name(&self, args: &CredentialArgs, server: &ServerUrl) -> Result<String> {
        if let Some(login) = args.login.as_deref().filter(|l| !l.trim().is_empty()) {
            return Ok(login.trim().to_string());
        }
        if let Some(login) = self.profile().and_then(|p| p.login.clone()) {
            return Ok(login);
        }
        if self.interactive && !args.password_stdin {
            let answer = prompt_line(&format!("Login for {server}: "))?;
            if !answer.is_empty() {
                return Ok(answer);
            }
        }
        Err(Error::new(
            Exit::NoCredentials,
            format!(
                "no login given for profile {} ({server}){}",
                self.profile_name,
                output::not_asked()
            ),
        )
        .hint("pass --login NAME or set SAYMON_LOGIN")
        .into())
    }

    /// The password: --password-stdin, --password-file, SAYMON_PASSWORD, else a hidden
    /// prompt at a terminal. Without any of them: exit 3 at once, never a hang.
    pub fn password(
        &self,
        args: &CredentialArgs,
        login: &str,
        server: &ServerUrl,
    ) -> Result<Secret> {
        let (password, source) = if args.password_stdin {
            let mut line = String::new();
            io::stdin()
                .lock()
                .read_line(&mut line)
                .context("cannot read the password from stdin")?;
            (Secret::new(strip_newline(line)), "stdin")
        } else if let Some(path) = &args.password_file {
            crate::fsutil::check_private(path, "a password")?;
            let text = std::fs::read_to_string(path).map_err(|e| {
                Error::new(
                    Exit::NoCredentials,
                    format!("cannot read the password file {}: {e}", path.display()),
                )
                .hint("check the path and that you may read it: --password-file takes a file whose first line is the password")
            })?;
            // Its first line; a line saved on Windows ends in \r\n, and the \r goes too.
            let first = text.split('\n').next().unwrap_or_default();
            let first = first.strip_suffix('\r').unwrap_or(first);
            (Secret::new(first), "the password file")
        } else if let Some(value) = std::env::var_os("SAYMON_PASSWORD") {
            let value = value.into_string().map_err(|_| {
                Error::new(Exit::NoCredentials, "SAYMON_PASSWORD is not valid UTF-8")
            })?;
            (Secret::new(value), "SAYMON_PASSWORD")
        } else if self.interactive {
            let prompt = format!("Password for {login} on {}: ", server.host_port());
            let value = crate::prompt::prompt_password(&prompt)
                .context("cannot read the password from the terminal")?;
            (Secret::new(value), "the prompt")
        } else {
            return Err(no_password(login, server));
        };
        self.out.verbose(&format!("password from {source}"));
        if password.is_empty() {
            return Err(Error::new(
                Exit::NoCredentials,
                format!("the password from {source} is empty"),
            )
            .hint("give the real password: an empty line, file or SAYMON_PASSWORD is refused, never sent")
            .into());
        }
        Ok(password)
    }

    /// The selected profile's store and account on `server`, if it has stored anything.
    pub fn profile_store(&self, server: &ServerUrl) -> Option<(StoreKind, String)> {
        Some((self.profile()?.store?, self.account(server)?))
    }

    pub fn store_of(&self, kind: StoreKind) -> Box<dyn SecretStore> {
        match kind {
            StoreKind::Keyring => Box::new(self.keyring.clone()),
            StoreKind::File => Box::new(FileStore::new(&self.config_dir)),
        }
    }

    /// The store for a new token: --store, else the profile's, else auto. Checked for
    /// writing before any token is created. Auto never falls back to the file silently.
    pub fn choose_store(
        &self,
        choice: Option<StoreChoice>,
    ) -> Result<(StoreKind, Box<dyn SecretStore>)> {
        let choice = choice.unwrap_or(match self.profile().and_then(|p| p.store) {
            Some(StoreKind::Keyring) => StoreChoice::Keyring,
            Some(StoreKind::File) => StoreChoice::File,
            None => StoreChoice::Auto,
        });
        let kind = match choice {
            StoreChoice::Keyring => StoreKind::Keyring,
            StoreChoice::File => StoreKind::File,
            StoreChoice::Auto => {
                let keyring = self.store_of(StoreKind::Keyring);
                match keyring.check() {
                    Ok(()) => return Ok((StoreKind::Keyring, keyring)),
                    Err(e) if crate::error::exit_code(&e) == Exit::StoreUnusable => {
                        self.ask_file_instead(&e)?;
                        StoreKind::File
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let store = self.store_of(kind);
        // Checked now, so that nobody types a password for nothing; proven (reserved), under
        // the token lock, right before a token is made (see `issue`).
        store.check()?;
        Ok((kind, store))
    }

    fn ask_file_instead(&self, keyring_error: &anyhow::Error) -> Result<()> {
        let path = self.config_dir.join(store::file::CREDENTIALS_FILE);
        if self.interactive {
            let reason = keyring_error.to_string();
            let mut chars = reason.chars();
            let first = chars
                .next()
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default();
            self.out.note(&format!("{first}{}.", chars.as_str()));
            self.out
                .note("Before any password is asked: where should the new token be kept?");
            let keep = crate::prompt::prompt_yes_no(&format!(
                "Keep the token in the file {} (readable only by you) instead? [y/N] ",
                path.display()
            ))?;
            let why = match keep {
                Some(true) => return Ok(()),
                Some(false) => "the file was declined",
                None => "no yes or no came for the file (three tries)",
            };
            return Err(Error::new(
                Exit::StoreUnusable,
                format!("no place to keep the token: the keyring cannot be used and {why}"),
            )
            .hint("start or unlock the keyring and try again, or pass --store file")
            .into());
        }
        Err(Error::new(
            Exit::StoreUnusable,
            format!("{keyring_error}; not falling back to a file without asking"),
        )
        .hint(format!(
            "pass --store file to keep the token in {} (mode 0600)",
            path.display()
        ))
        .into())
    }

    /// The account of the selected profile on `server`, if the profile has a login.
    pub fn account(&self, server: &ServerUrl) -> Option<String> {
        let login = self.profile()?.login.as_deref()?;
        Some(store::account(login, server))
    }

    /// The name saymon 0.1 gave this profile's account (see `legacy_account_of`).
    pub fn own_legacy_account(&self, server: &ServerUrl, login: &str) -> Option<String> {
        legacy_account_of(self.profile()?, server, login)
    }

    /// A secret of the selected profile on `server` (see `stored_secret`).
    pub fn stored_secret(
        &self,
        store: &dyn SecretStore,
        server: &ServerUrl,
        kind: SecretKind,
    ) -> Result<Option<Secret>> {
        match self.profile() {
            Some(profile) => stored_secret(profile, store, server, kind, self.out),
            None => Ok(None),
        }
    }

    /// The server a token is used with: --server / SAYMON_SERVER, else the profile's.
    pub fn require_server(&self) -> Result<ServerUrl> {
        self.server()?.ok_or_else(|| {
            Error::new(
                Exit::Usage,
                format!(
                    "no server given, and profile {} has none",
                    self.profile_name
                ),
            )
            .hint("pass --server URL or set SAYMON_SERVER")
            .into()
        })
    }

    /// The token in use: SAYMON_TOKEN, else the profile's stored one.
    pub fn token(&self) -> Result<(Secret, TokenSource)> {
        if let Some(token) = env_token()? {
            self.out.verbose("token from SAYMON_TOKEN (environment)");
            return Ok((token, TokenSource::Environment));
        }
        let not_logged_in = |detail: String| -> anyhow::Error {
            let detail = if env_token_empty() {
                format!("SAYMON_TOKEN is set but empty, and {detail}")
            } else {
                detail
            };
            Error::new(Exit::NoCredentials, format!("not logged in: {detail}"))
                .hint(format!(
                    "run `saymon login{}` or set SAYMON_TOKEN",
                    self.profile_flag()
                ))
                .into()
        };
        let Some(profile) = self.profile() else {
            return Err(match self.unknown_profile_hint() {
                Some(hint) => Error::new(
                    Exit::NoCredentials,
                    format!("not logged in: there is no profile {}", self.profile_name),
                )
                .hint(hint)
                .into(),
                None => not_logged_in(format!("there is no profile {}", self.profile_name)),
            });
        };
        let server = self
            .server()?
            .ok_or_else(|| not_logged_in(format!("profile {} has no server", self.profile_name)))?;
        let Some(account) = self.account(&server) else {
            return Err(not_logged_in(format!(
                "profile {} ({server}) has no stored token",
                self.profile_name
            )));
        };
        let Some((token, source)) = self
            .stored_token(profile, &server)
            .with_context(|| format!("profile {} ({server})", self.profile_name))?
        else {
            let place = match profile.store {
                Some(kind) => TokenSource::of_store(kind, &self.config_dir).to_string(),
                None => "any store".into(),
            };
            return Err(not_logged_in(format!(
                "no token for {account} in {place} (profile {})",
                self.profile_name
            )));
        };
        self.out
            .verbose(&format!("token of {account} from {source}"));
        Ok((token, source))
    }

    /// The rescue file (see `issue`): tokens that were made but could not be stored.
    pub fn rescue(&self) -> FileStore {
        FileStore::rescue(&self.config_dir)
    }

    /// The token of `login` on `server` waiting in the rescue file, if any, checked as
    /// every token is (`answer::accept_token`).
    pub fn rescued_token(&self, login: &str, server: &ServerUrl) -> Result<Option<Secret>> {
        let rescue = self.rescue();
        let account = store::account(login, server);
        rescue
            .get(&account, SecretKind::Token)?
            .map(|token| store::accept_stored_token(token, &rescue, &account))
            .transpose()
    }

    /// The stored token of `profile` on `server`, and where it is: a rescued one first
    /// (it is newer than anything the profile's store holds), else the store's. Each
    /// passes `answer::accept_token`. Errors: the store's (exit 7), a token that cannot
    /// be one (exit 1).
    pub fn stored_token(
        &self,
        profile: &Profile,
        server: &ServerUrl,
    ) -> Result<Option<(Secret, TokenSource)>> {
        let Some(login) = profile.login.as_deref() else {
            return Ok(None);
        };
        if let Some(token) = self.rescued_token(login, server)? {
            let path = self.rescue().path().to_path_buf();
            return Ok(Some((token, TokenSource::Rescued(path))));
        }
        let Some(kind) = profile.store else {
            return Ok(None);
        };
        let token = stored_secret(
            profile,
            self.store_of(kind).as_ref(),
            server,
            SecretKind::Token,
            self.out,
        )?;
        Ok(token.map(|t| (t, TokenSource::of_store(kind, &self.config_dir))))
    }

    /// Before a command that works on a profile that must exist (logout, token refresh,
    /// token revoke, doctor): a selected profile that does not exist while others do is a
    /// mistyped `--profile` (exit 3, listing the profiles and the closest), unless
    /// `--server` names a server to work with anyway.
    pub fn check_profile_exists(&self) -> Result<()> {
        if self.global.server.is_some() {
            return Ok(());
        }
        match self.unknown_profile_hint() {
            Some(hint) => Err(Error::new(
                Exit::NoCredentials,
                format!(
                    "there is no profile {}",
                    crate::redact::inline(&self.profile_name)
                ),
            )
            .hint(hint)
            .into()),
            None => Ok(()),
        }
    }

    /// Whether `profile` has a password remembered for `server` (`login
    /// --remember-password`), so that `token refresh` is the unattended fix. A store that
    /// cannot be read counts as no.
    pub fn remembers_password(&self, profile: &Profile, server: &ServerUrl) -> bool {
        profile.store.is_some_and(|kind| {
            stored_secret(
                profile,
                self.store_of(kind).as_ref(),
                server,
                SecretKind::Password,
                self.out,
            )
            .is_ok_and(|p| p.is_some())
        })
    }

    /// For a profile that does not exist while others do (a mistyped `--profile`): the
    /// existing names, the closest first when one is close.
    pub fn unknown_profile_hint(&self) -> Option<String> {
        let names: Vec<&String> = self.config.profiles.keys().collect();
        if names.is_empty() || self.profile().is_some() {
            return None;
        }
        let closest = names
            .iter()
            .map(|n| (strsim::jaro_winkler(n, &self.profile_name), n))
            .filter(|(score, _)| *score > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, n)| format!("did you mean --profile {}? ", crate::redact::inline(n)));
        let list: Vec<String> = names.iter().map(|n| crate::redact::inline(n)).collect();
        Some(format!(
            "{}the profiles are: {} (`saymon login --profile NAME` makes a new one)",
            closest.unwrap_or_default(),
            list.join(", ")
        ))
    }

    /// ` --profile NAME` when the profile is not the default one, and ` --config-dir DIR`
    /// when the config dir came from that flag, for hints that name a command to run.
    pub fn profile_flag(&self) -> String {
        let mut flags = String::new();
        if let Some(dir) = &self.global.config_dir
            && std::env::var_os("SAYMON_CONFIG_DIR").as_deref() != Some(dir.as_os_str())
        {
            let dir = dir.display().to_string();
            if dir.contains(|c: char| !(c.is_ascii_alphanumeric() || "/._-~".contains(c))) {
                flags.push_str(&format!(" --config-dir '{}'", dir.replace('\'', "'\\''")));
            } else {
                flags.push_str(&format!(" --config-dir {dir}"));
            }
        }
        if self.profile_name != config::DEFAULT_PROFILE {
            // An odd name made before the naming rule is shown escaped, never raw.
            flags.push_str(&format!(
                " --profile {}",
                crate::redact::inline(&self.profile_name)
            ));
        }
        flags
    }
}

/// Whether a password was given for this run (a flag or SAYMON_PASSWORD), as opposed to
/// one remembered in the store or asked for.
pub fn password_given(args: &CredentialArgs) -> bool {
    args.password_stdin
        || args.password_file.is_some()
        || std::env::var_os("SAYMON_PASSWORD").is_some()
}

/// A server address from `source` (a flag, a variable, a profile), exit 2 naming it.
fn parse_server(text: &str, source: &str) -> Result<ServerUrl> {
    ServerUrl::parse(text)
        .map_err(|e| anyhow::Error::from(e).context(format!("the server address from {source}")))
}

/// Exit 3: no password source and no terminal to ask at, naming the options.
pub fn no_password(login: &str, server: &ServerUrl) -> anyhow::Error {
    Error::new(
        Exit::NoCredentials,
        format!(
            "no password for {login} on {server}, and no terminal to ask at{}",
            crate::output::not_asked()
        ),
    )
    .hint("pass --password-stdin or --password-file FILE, or set SAYMON_PASSWORD")
    .into()
}

/// " (SAYMON_TOKEN is set but empty)" when it is, for messages about a missing token.
pub fn empty_env_token_note() -> &'static str {
    if env_token_empty() {
        " (SAYMON_TOKEN is set but empty)"
    } else {
        ""
    }
}

/// Whether SAYMON_TOKEN is set, but to nothing (white space at most).
fn env_token_empty() -> bool {
    std::env::var_os("SAYMON_TOKEN").is_some_and(|v| v.to_string_lossy().trim().is_empty())
}

/// Whether SAYMON_TOKEN is set to something (it then wins over any stored token).
pub fn env_token_set() -> bool {
    std::env::var_os("SAYMON_TOKEN").is_some_and(|v| !v.to_string_lossy().trim().is_empty())
}

/// SAYMON_TOKEN, when it is set and not empty, through `answer::accept_token` (exit 1
/// when it cannot be a token; exit 3 when it is not UTF-8, as for SAYMON_PASSWORD).
pub fn env_token() -> Result<Option<Secret>> {
    let Some(value) = std::env::var_os("SAYMON_TOKEN") else {
        return Ok(None);
    };
    let value = value
        .into_string()
        .map_err(|_| Error::new(Exit::NoCredentials, "SAYMON_TOKEN is not valid UTF-8"))?;
    let value = Secret::new(value);
    if value.expose().trim().is_empty() {
        return Ok(None);
    }
    crate::answer::accept_token(value, "SAYMON_TOKEN").map(Some)
}
