//! The unit tests of `handed`.

use super::*;

fn file(contents: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret");
    std::fs::write(&path, contents).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    (dir, path)
}

fn read(contents: &[u8]) -> Result<Secret> {
    let (_dir, path) = file(contents);
    read_secret_file(
        &path,
        SecretKind::Password,
        Origin::Variable("SAYMON_PASSWORD_FILE"),
    )
}

fn failure(contents: &[u8]) -> (Exit, String, String) {
    let (_dir, path) = file(contents);
    let err = read_secret_file(&path, SecretKind::Token, Origin::Credential).unwrap_err();
    let error = err.downcast_ref::<Error>().unwrap();
    let shown = path.display().to_string();
    assert!(error.message.contains(&shown), "{}", error.message);
    (
        error.exit,
        error.message.clone(),
        error.hint.clone().unwrap_or_default(),
    )
}

#[test]
fn the_first_line_without_its_line_end() {
    for (contents, expected) in [
        (&b"pw"[..], "pw"),
        (b"pw\n", "pw"),
        (b"pw\r\n", "pw"),
        (b"\xEF\xBB\xBFpw\r\n", "pw"),
        (b"p w \nsecond line\n", "p w "),
        (
            b"P\xc3\xa4ss\n\xff\xfe not UTF-8 after the first line",
            "Päss",
        ),
    ] {
        assert_eq!(read(contents).unwrap().expose(), expected, "{contents:?}");
    }
    let (_dir, path) = file(&vec![b'x'; MAX_SECRET_FILE]);
    assert_eq!(
        read_secret_file(&path, SecretKind::Token, Origin::Credential)
            .unwrap()
            .expose()
            .len(),
        MAX_SECRET_FILE,
        "exactly the cap is read"
    );
}

#[test]
fn empty_too_large_or_not_utf8_is_exit_3_naming_the_file_never_the_contents() {
    let canary = b"canary-\xff-secret".to_vec();
    for (contents, says) in [
        (b"".to_vec(), "is empty"),
        (b"\n".to_vec(), "is empty"),
        (b"\r\nsecond".to_vec(), "is empty"),
        (canary.clone(), "not valid UTF-8"),
        (vec![b'x'; MAX_SECRET_FILE + 1], "holds more than 64 KiB"),
    ] {
        let (exit, message, hint) = failure(&contents);
        assert_eq!(exit, Exit::NoCredentials, "{message}");
        assert!(message.contains(says), "{message}");
        assert!(message.contains("systemd credential"), "{message}");
        assert!(hint.contains("LoadCredential=token:FILE"), "{hint}");
        assert!(!message.contains("canary") && !hint.contains("canary"));
    }
}

#[test]
fn a_missing_file_is_exit_3_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing");
    let err =
        read_secret_file(&path, SecretKind::Password, Origin::Flag("--password-file")).unwrap_err();
    let error = err.downcast_ref::<Error>().unwrap();
    assert_eq!(error.exit, Exit::NoCredentials);
    assert!(
        error.message.starts_with(&format!(
            "cannot read the password from --password-file {}: ",
            path.display()
        )),
        "{}",
        error.message
    );
    assert!(
        error
            .hint
            .as_deref()
            .unwrap()
            .contains("--password-file takes")
    );
}

#[cfg(unix)]
#[test]
fn a_file_others_can_read_is_exit_7_with_the_chmod() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = file(b"pw\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let err = read_secret_file(
        &path,
        SecretKind::Password,
        Origin::Variable("SAYMON_PASSWORD_FILE"),
    )
    .unwrap_err();
    let error = err.downcast_ref::<Error>().unwrap();
    assert_eq!(error.exit, Exit::StoreUnusable);
    let hint = error.hint.as_deref().unwrap();
    assert!(
        hint.starts_with(&format!("chmod 600 {}", path.display())),
        "{hint}"
    );
    assert!(hint.contains("defaultMode: 0400"), "{hint}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_device_that_never_ends_is_refused_after_the_cap() {
    let err = read_secret_file(
        Path::new("/dev/zero"),
        SecretKind::Token,
        Origin::Variable("SAYMON_TOKEN_FILE"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("holds more than 64 KiB"), "{err}");
}

#[test]
fn sources_are_named_as_token_sources_are() {
    let path = Path::new("/run/secrets/t");
    assert_eq!(
        Origin::Variable("SAYMON_TOKEN_FILE").source(path),
        TokenSource::EnvironmentFile(path.into()).to_string()
    );
    assert_eq!(
        Origin::Credential.source(path),
        TokenSource::Credential(path.into()).to_string()
    );
    assert_eq!(
        given_token_refused(&TokenSource::Environment),
        "SAYMON_TOKEN was refused (not a token of this server, mistyped, replaced or revoked): check the CI secret or variable it comes from, or unset SAYMON_TOKEN to use the stored token"
    );
    assert!(
        given_token_refused(&TokenSource::EnvironmentFile(path.into()))
            .starts_with("SAYMON_TOKEN_FILE (/run/secrets/t) was refused")
    );
    assert!(
        given_token_refused(&TokenSource::Credential(path.into()))
            .starts_with("the systemd credential /run/secrets/t was refused")
    );
}

/// The variables `pairs`, as `Vars` reads them.
fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
    let map: std::collections::HashMap<String, OsString> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), OsString::from(v)))
        .collect();
    move |name| map.get(name).cloned()
}

/// A private secret file and a credentials directory with `password` and `token`.
struct Sources {
    _dir: tempfile::TempDir,
    password_file: String,
    token_file: String,
    credentials: String,
}

const TOKEN_VAR: &str = "5e21b752-308c-4c66-964e-072c0a5e2b75";
const TOKEN_FILE: &str = "6f32c863-419d-4d77-a75f-183d1b6f3c86";
const TOKEN_CREDENTIAL: &str = "7a43d974-52ae-4e88-b86a-294e2c7a4d97";

fn sources() -> Sources {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: PathBuf, contents: &str| {
        std::fs::write(&path, contents).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path.display().to_string()
    };
    let credentials = dir.path().join("credentials");
    std::fs::create_dir(&credentials).unwrap();
    write(credentials.join("password"), "from-credential\n");
    write(credentials.join("token"), &format!("{TOKEN_CREDENTIAL}\n"));
    Sources {
        password_file: write(dir.path().join("password"), "from-file\n"),
        token_file: write(dir.path().join("token"), &format!("{TOKEN_FILE}\n")),
        credentials: credentials.display().to_string(),
        _dir: dir,
    }
}

/// The password and its source with `pairs`, or the error's exit code.
fn password_with(pairs: &[(&str, &str)]) -> std::result::Result<Option<(String, String)>, Exit> {
    env_password_in(&vars(pairs))
        .map(|found| found.map(|(p, source)| (p.expose().to_string(), source)))
        .map_err(|e| crate::error::exit_code(&e))
}

#[test]
fn the_password_sources_win_in_the_tables_order() {
    let s = sources();
    let (value, file, creds) = (
        ("SAYMON_PASSWORD", "from-variable"),
        ("SAYMON_PASSWORD_FILE", s.password_file.as_str()),
        ("CREDENTIALS_DIRECTORY", s.credentials.as_str()),
    );
    let found = |p: &str, source: &str| Ok(Some((p.to_string(), source.to_string())));
    let from_file = format!("SAYMON_PASSWORD_FILE ({})", s.password_file);
    let from_credential = format!("systemd credential {}/password", s.credentials);
    assert_eq!(password_with(&[]), Ok(None));
    assert_eq!(
        password_with(&[value]),
        found("from-variable", "SAYMON_PASSWORD")
    );
    assert_eq!(password_with(&[file]), found("from-file", &from_file));
    assert_eq!(
        password_with(&[creds]),
        found("from-credential", &from_credential)
    );
    // The variable before the credential, the file before the credential.
    assert_eq!(
        password_with(&[value, creds]),
        found("from-variable", "SAYMON_PASSWORD")
    );
    assert_eq!(
        password_with(&[file, creds]),
        found("from-file", &from_file)
    );
    // A variable and its file are one setting: both is exit 2, whatever else is there.
    assert_eq!(password_with(&[value, file]), Err(Exit::Usage));
    assert_eq!(password_with(&[value, file, creds]), Err(Exit::Usage));
    // White space is not set beside the file; alone, it is an empty password (refused
    // by the caller); an empty file variable is not set.
    let blank = ("SAYMON_PASSWORD", " \t");
    assert_eq!(
        password_with(&[blank, file]),
        found("from-file", &from_file)
    );
    assert_eq!(password_with(&[blank]), found("", "SAYMON_PASSWORD"));
    let no_file = ("SAYMON_PASSWORD_FILE", " ");
    assert_eq!(
        password_with(&[no_file, creds]),
        found("from-credential", &from_credential)
    );
    // A credentials directory without the entry is no source.
    let empty = tempfile::tempdir().unwrap();
    let elsewhere = empty.path().display().to_string();
    assert_eq!(
        password_with(&[("CREDENTIALS_DIRECTORY", &elsewhere)]),
        Ok(None)
    );
}

/// The token's source with `pairs` (read, then named), or the error's exit code.
fn token_with(pairs: &[(&str, &str)]) -> std::result::Result<Option<(String, TokenSource)>, Exit> {
    let vars = vars(pairs);
    let found = env_token_in(&vars)
        .map(|found| found.map(|(t, source)| (t.expose().to_string(), source)))
        .map_err(|e| crate::error::exit_code(&e))?;
    assert_eq!(
        found.as_ref().map(|(_, source)| source.clone()),
        env_token_source_in(&vars),
        "where the token is, said without reading it, is where it is read from"
    );
    Ok(found)
}

#[test]
fn the_token_sources_win_in_the_tables_order() {
    let s = sources();
    let (value, file, creds) = (
        ("SAYMON_TOKEN", TOKEN_VAR),
        ("SAYMON_TOKEN_FILE", s.token_file.as_str()),
        ("CREDENTIALS_DIRECTORY", s.credentials.as_str()),
    );
    let file_source = TokenSource::EnvironmentFile(s.token_file.clone().into());
    let credential_source = TokenSource::Credential(Path::new(&s.credentials).join("token"));
    let found = |t: &str, source: &TokenSource| Ok(Some((t.to_string(), source.clone())));
    assert_eq!(token_with(&[]), Ok(None));
    assert_eq!(
        token_with(&[value]),
        found(TOKEN_VAR, &TokenSource::Environment)
    );
    assert_eq!(token_with(&[file]), found(TOKEN_FILE, &file_source));
    assert_eq!(
        token_with(&[creds]),
        found(TOKEN_CREDENTIAL, &credential_source)
    );
    assert_eq!(
        token_with(&[value, creds]),
        found(TOKEN_VAR, &TokenSource::Environment)
    );
    assert_eq!(token_with(&[file, creds]), found(TOKEN_FILE, &file_source));
    assert_eq!(token_with(&[value, file]), Err(Exit::Usage));
    // Set to nothing is not set, for the variable and its file alike.
    let (blank, no_file) = (("SAYMON_TOKEN", " "), ("SAYMON_TOKEN_FILE", ""));
    assert_eq!(token_with(&[blank, file]), found(TOKEN_FILE, &file_source));
    assert_eq!(
        token_with(&[blank, no_file, creds]),
        found(TOKEN_CREDENTIAL, &credential_source)
    );
    // What cannot be a token is exit 1 wherever it comes from, never passed on.
    assert_eq!(token_with(&[("SAYMON_TOKEN", "a&b")]), Err(Exit::Failure));
}
