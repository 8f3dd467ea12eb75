//! The sections of `man saymon` that clap does not make.

/// The sections of `man saymon` that clap does not make, as (title, [(term, text)]):
/// rendered into man/saymon.1 with the rest (tests/cli/generated.rs), never hand-edited.
/// EXIT STATUS is made from `error::STATUSES`, EXAMPLES from `pages::SAYMON_EXAMPLES`.
pub const MAN_SECTIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "ENVIRONMENT",
        &[
            ("SAYMON_SERVER", "The server, as --server."),
            (
                "SAYMON_PROFILE",
                "The profile to use, as --profile (it selects; for status it does not limit).",
            ),
            ("SAYMON_LOGIN", "The login, as --login."),
            (
                "SAYMON_PASSWORD",
                "The password, for login, token create, refresh and revoke; removed from exec's command.",
            ),
            (
                "SAYMON_PASSWORD_FILE",
                "A file whose first line is the password (a docker or Kubernetes secret), after SAYMON_PASSWORD; not with it (exit 2); set to nothing, it is not set. Read as --password-file: refused when others can read it (exit 7); exit 3 naming it when it cannot be read, is empty or holds more than 64 KiB. Removed from exec's command.",
            ),
            (
                "SAYMON_TOKEN",
                "A token to use instead of the stored one (CI); exec sets it for its command.",
            ),
            (
                "SAYMON_TOKEN_FILE",
                "A file whose first line is the token to use instead of the stored one, read as SAYMON_PASSWORD_FILE; not with SAYMON_TOKEN (exit 2). Removed from exec's command, which gets SAYMON_TOKEN.",
            ),
            (
                "CREDENTIALS_DIRECTORY",
                "Set by systemd for a unit with credentials: its password entry (LoadCredential=password:FILE) is a password source after SAYMON_PASSWORD_FILE, its token entry one after SAYMON_TOKEN_FILE; an entry that is not there is no source, one that cannot be read an error naming it.",
            ),
            (
                "SAYMON_CA_CERT",
                "A CA or server certificate file to trust, as --ca-cert; exec sets it for its command.",
            ),
            (
                "SAYMON_PIN",
                "sha256:FINGERPRINT: trust exactly the server certificate with this SHA-256 fingerprint, for this run (a job with no login); nothing is written.",
            ),
            (
                "SAYMON_CLIENT_CERT, SAYMON_CLIENT_KEY",
                "The client certificate and key for mutual TLS, as --client-cert and --client-key.",
            ),
            (
                "SAYMON_CONFIG_DIR",
                "The config directory, as --config-dir.",
            ),
            (
                "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
                "Proxies (and their lowercase forms); a server on this machine is never reached through one.",
            ),
            (
                "SSL_CERT_FILE, SSL_CERT_DIR",
                "Where the system's trust store is read from (Linux), as OpenSSL reads them.",
            ),
            (
                "NO_COLOR",
                "When set to anything but the empty string, no colour.",
            ),
            ("TERM", "dumb: no colour."),
            (
                "COMPLETE",
                "A shell name: print that shell's completion registration, or answer its completion request, and exit.",
            ),
        ],
    ),
    (
        "FILES",
        &[
            (
                "~/.config/saymon/",
                "The config directory: --config-dir, else SAYMON_CONFIG_DIR, else the platform's: $XDG_CONFIG_HOME/saymon or ~/.config/saymon on Linux and the BSDs, ~/Library/Application Support/saymon on macOS, %APPDATA%\\saymon on Windows. Created mode 0700; refused (exit 7) when others may write it or another user owns it. Every file below is in it.",
            ),
            (
                "config.toml",
                "Profiles (server, login, user id, store, the TLS files, the fingerprint of a pinned certificate) and the default profile. No secrets. Mode 0600 as saymon writes it; refused when others may write it; never overwritten when it does not parse.",
            ),
            (
                "credentials.toml",
                "The tokens, and the passwords remembered by login --remember-password, of profiles that use the file store. Mode 0600 from the start; refused when others may read it.",
            ),
            (
                "rescued-tokens.toml",
                "A new token whose store failed after the server made it, mode 0600: used by every command until login moves it into the store; logout removes it.",
            ),
            (
                "certs/",
                "Certificates trusted on first use or with login --pin, one PEM file each, PROFILE-FINGERPRINT.pem (the first 16 hex digits of its SHA-256), mode 0600, in a directory of mode 0700. A profile's goes when it pins another or is removed.",
            ),
            (
                ".lock, .token.lock",
                "Empty lock files, mode 0600: .lock is held around each change of a file here, .token.lock from the making of a token until it is stored, so that concurrent runs (two cron jobs) take turns.",
            ),
            (
                ".NAME.RANDOM.tmp",
                "The next contents of NAME (config.toml, credentials.toml, rescued-tokens.toml or a certificate), written and synced, then renamed over it; mode 0600. Made before a token is, with room for it, so that storing the token cannot fail for want of space. One that a killed saymon left behind is removed by the next write, unless it holds a token: then commands use that token, and the next write of NAME takes it in.",
            ),
            (
                ".saymon-probe-RANDOM",
                "An empty file (mode 0600) made and removed at once: the proof that the file store can write here before a token is made.",
            ),
        ],
    ),
];
