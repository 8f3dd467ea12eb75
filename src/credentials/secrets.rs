//! Where the login, password and token come from, in the order of the table at the top
//! of `credentials`: flags and variables first, then the rescue file and the store.

use std::io::{self, BufRead};

use super::CredentialFlags;
use anyhow::{Context, Result};

use super::stored::{accept_stored_token, stored_secret};
use crate::config::Profile;
use crate::error::{Error, Exit};
use crate::prompt::strip_newline;
use crate::secret::Secret;
use crate::server::ServerUrl;
use crate::store::{self, SecretKind, TokenSource};

use super::Session;
use super::handed::{Origin, env_password, env_token, read_secret_file};

impl<'a> Session<'a> {
    /// The login: --login / SAYMON_LOGIN, else the profile's, else a prompt.
    pub(crate) fn login_name(&self, args: &CredentialFlags, server: &ServerUrl) -> Result<String> {
        if let Some(login) =
            super::precedence::login(args.login.as_deref(), self.selected.profile())
        {
            return Ok(login);
        }
        if self.interactive && !args.password_stdin {
            let answer = self.ask.line(&format!("Login for {server}: "))?;
            if !answer.is_empty() {
                return Ok(answer);
            }
        }
        Err(Error::new(
            Exit::NoCredentials,
            format!(
                "no login given for profile {} ({server}){}",
                self.selected.profile_name,
                crate::sys::not_asked()
            ),
        )
        .hint("pass --login NAME or set SAYMON_LOGIN")
        .into())
    }

    /// The password: --password-stdin, --password-file, else the one handed over in the
    /// environment (SAYMON_PASSWORD, SAYMON_PASSWORD_FILE, `$CREDENTIALS_DIRECTORY/password`:
    /// see `handed`), else a hidden prompt at a terminal. Without any of them: exit 3 at
    /// once, never a hang. A file that cannot be used is an error naming it (exit 3, or 7
    /// when others may read it); both SAYMON_PASSWORD and SAYMON_PASSWORD_FILE set is exit 2.
    pub(crate) fn password(
        &self,
        args: &CredentialFlags,
        login: &str,
        server: &ServerUrl,
    ) -> Result<Secret> {
        let (password, source) = if args.password_stdin {
            let mut line = String::new();
            io::stdin()
                .lock()
                .read_line(&mut line)
                .context("cannot read the password from stdin")?;
            (Secret::new(strip_newline(line)), "stdin".to_string())
        } else if let Some(path) = &args.password_file {
            let origin = Origin::Flag("--password-file");
            (
                read_secret_file(path, SecretKind::Password, origin)?,
                origin.source(path),
            )
        } else if let Some((password, source)) = env_password()? {
            (password, source)
        } else if self.interactive {
            let prompt = format!("Password for {login} on {}: ", server.host_port());
            let value = self
                .ask
                .hidden(&prompt)
                .context("cannot read the password from the terminal")?;
            (Secret::new(value), "the prompt".to_string())
        } else {
            return Err(no_password(login, server));
        };
        self.out.verbose(&format!("password from {source}"));
        if password.is_empty() {
            return Err(Error::new(
                Exit::NoCredentials,
                format!("the password from {source} is empty"),
            )
            .hint("give the real password: an empty line or SAYMON_PASSWORD is refused, never sent")
            .into());
        }
        Ok(password)
    }

    /// Whether `profile` has a password remembered for `server` (`login
    /// --remember-password`), so that `token refresh` is the unattended fix. A store that
    /// cannot be read counts as no.
    pub(crate) fn remembers_password(&self, profile: &Profile, server: &ServerUrl) -> bool {
        profile.store.is_some_and(|kind| {
            stored_secret(
                profile,
                self.stores.open(kind).as_ref(),
                server,
                SecretKind::Password,
                self.out,
            )
            .is_ok_and(|p| p.is_some())
        })
    }

    /// The token in use: the one handed over in the environment (SAYMON_TOKEN,
    /// SAYMON_TOKEN_FILE, `$CREDENTIALS_DIRECTORY/token`: see `handed`), else the
    /// profile's stored one.
    pub(crate) fn token(&self) -> Result<(Secret, TokenSource)> {
        if self.env_token_applies
            && let Some((token, source)) = env_token()?
        {
            self.out.verbose(&format!("token from {source}"));
            return Ok((token, source));
        }
        let not_logged_in = |detail: String| -> anyhow::Error {
            let detail = match super::handed::empty_env_token() {
                Some(empty) => format!("{empty}, and {detail}"),
                None => detail,
            };
            Error::new(Exit::NoCredentials, format!("not logged in: {detail}"))
                .hint(format!(
                    "run `saymon login{}` or set SAYMON_TOKEN",
                    self.selected.profile_flag()
                ))
                .into()
        };
        let Some(profile) = self.selected.profile() else {
            return Err(match self.selected.unknown_profile_hint() {
                Some(hint) => Error::new(
                    Exit::NoCredentials,
                    format!(
                        "not logged in: there is no profile {}",
                        self.selected.profile_name
                    ),
                )
                .hint(hint)
                .into(),
                None => not_logged_in(format!(
                    "there is no profile {}",
                    self.selected.profile_name
                )),
            });
        };
        let server = self.selected.server()?.ok_or_else(|| {
            not_logged_in(format!(
                "profile {} has no server",
                self.selected.profile_name
            ))
        })?;
        let Some(account) = self.account(&server) else {
            return Err(not_logged_in(format!(
                "profile {} ({server}) has no stored token",
                self.selected.profile_name
            )));
        };
        let Some((token, source)) = self
            .stored_token(profile, &server)
            .with_context(|| format!("profile {} ({server})", self.selected.profile_name))?
        else {
            let place = match profile.store {
                Some(kind) => TokenSource::of_store(kind, &self.selected.config_dir).to_string(),
                None => "any store".into(),
            };
            return Err(not_logged_in(format!(
                "no token for {account} in {place} (profile {})",
                self.selected.profile_name
            )));
        };
        self.out
            .verbose(&format!("token of {account} from {source}"));
        Ok((token, source))
    }

    /// The stored token of `profile` on `server`, and where it is: a rescued one first
    /// (it is newer than anything the profile's store holds), else the store's. Each
    /// passes `token::accept_token`. Errors: the store's (exit 7), a token that cannot
    /// be one (exit 1).
    pub(crate) fn stored_token(
        &self,
        profile: &Profile,
        server: &ServerUrl,
    ) -> Result<Option<(Secret, TokenSource)>> {
        let Some(login) = profile.login.as_deref() else {
            return Ok(None);
        };
        let rescue = self.stores.rescue();
        let account = store::account(login, server);
        if let Some((token, file)) = rescue.token_and_file(&account)? {
            let token = accept_stored_token(token, &rescue, &account)?;
            return Ok(Some((token, TokenSource::Rescued(file))));
        }
        let Some(kind) = profile.store else {
            return Ok(None);
        };
        let token = stored_secret(
            profile,
            self.stores.open(kind).as_ref(),
            server,
            SecretKind::Token,
            self.out,
        )?;
        Ok(token.map(|t| (t, TokenSource::of_store(kind, &self.selected.config_dir))))
    }
}

/// Whether a password was given for this run (a flag, or handed over in the environment:
/// see `handed`), as opposed to one remembered in the store or asked for.
pub(crate) fn password_given(args: &CredentialFlags) -> bool {
    args.password_stdin || args.password_file.is_some() || super::handed::env_password_given()
}

/// Exit 3: no password source and no terminal to ask at, naming the options.
pub(crate) fn no_password(login: &str, server: &ServerUrl) -> anyhow::Error {
    Error::new(
        Exit::NoCredentials,
        format!(
            "no password for {login} on {server}, and no terminal to ask at{}{}",
            super::handed::empty_env_password_note(),
            crate::sys::not_asked()
        ),
    )
    .hint("pass --password-stdin or --password-file FILE, or set SAYMON_PASSWORD or SAYMON_PASSWORD_FILE (systemd: LoadCredential=password:FILE)")
    .into()
}
