//! The sections of `man saymon` that clap does not make.

/// The sections of `man saymon` that clap does not make, as (title, [(term, text)]):
/// rendered into man/saymon.1 with the rest (tests/cli/generated.rs), never hand-edited.
pub const MAN_SECTIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "EXIT STATUS",
        &[
            ("0", "Success."),
            (
                "1",
                "Unexpected failure: a server error (5xx), a malformed answer, local I/O, an unreadable config, a --jq filter that failed.",
            ),
            (
                "2",
                "Usage error: bad flags or arguments, a bad server address, a --jq syntax error.",
            ),
            (
                "3",
                "No credentials: not logged in, no token stored, no password source and no terminal.",
            ),
            (
                "4",
                "The server rejected the credentials or the token (401, 403).",
            ),
            (
                "5",
                "The server could not be reached: DNS, connect, TLS, timeout.",
            ),
            (
                "6",
                "api: the server answered another 4xx (the body is still printed).",
            ),
            (
                "7",
                "A secret cannot be kept safe: the keyring unreachable, locked or not answering, the credentials file (or a --client-key file) readable by others, or corrupt; or a new token could only be kept in the rescue file.",
            ),
            (
                "70",
                "An internal error (a bug): one line, saymon: internal error: ... (please report).",
            ),
            (
                "other",
                "exec: the command's own exit code (128+N for signal N, 127 not found, 126 not runnable).",
            ),
        ],
    ),
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
                "The config directory (the platform's config dir plus saymon; --config-dir, SAYMON_CONFIG_DIR), mode 0700.",
            ),
            (
                "config.toml",
                "Profiles: server, login, user id, store, TLS files. No secrets. Refused when others can write it.",
            ),
            (
                "credentials.toml",
                "Tokens (and passwords remembered by login --remember-password) of profiles that use the file store, mode 0600; refused when others can read it.",
            ),
            (
                "rescued-tokens.toml",
                "A new token whose store failed after it was made, mode 0600; used by every command until login moves it into the store.",
            ),
            (
                ".lock, .token.lock",
                "Locks that serialize writes, and the life of a new token, between concurrent runs.",
            ),
        ],
    ),
    (
        "EXAMPLES",
        &[
            (
                "saymon --server https://saymon.example.com login",
                "Log in, asking for what is missing; the token is stored.",
            ),
            (
                "saymon api 'objects?fields=id,name' --jq '.[] | .name'",
                "The objects' names, filtered without jq installed.",
            ),
            (
                "saymon api incidents --paginate > incidents.json",
                "Every incident, all pages, one JSON array; check the exit code.",
            ),
            (
                "printf '%s\\n' \"$PW\" | saymon token refresh --password-stdin",
                "Rotate the stored token from cron.",
            ),
            (
                "saymon exec -- sh -c 'curl -fsS \"$SAYMON_SERVER/node/api/objects?api-token=$SAYMON_TOKEN\"'",
                "Hand the token to another tool in its environment only.",
            ),
            (
                "saymon doctor --all",
                "Check every profile: config, keyring, DNS, TCP, TLS, server, token.",
            ),
        ],
    ),
];
