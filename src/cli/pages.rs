//! What each command's help and man page say beyond clap's: its examples and its exit
//! statuses. tests/cli/generated.rs renders them into man/ (EXAMPLES, EXIT STATUS) and
//! checks that every command has its page here and that its help shows these examples.

use crate::error::Exit::{
    ClientError, Failure, Internal, NoCredentials, Rejected, StoreUnusable, Unreachable, Usage,
};
use crate::error::Status::{self, Cancelled, Command, Error, Success};

/// One command's examples and exit statuses.
pub struct Page {
    /// Shell lines, each shown as written (a line that ends in `\` goes on in the next),
    /// in `--help` after "Examples:" and in the man page's EXAMPLES, unfilled.
    pub examples: &'static [&'static str],
    /// Every status the command can exit with, in the order of `error::STATUSES`. Empty for
    /// a command that only groups others (`token`, `profile`): its page lists theirs.
    pub exits: &'static [Status],
}

impl Page {
    /// The help's text after the options: "Examples:" and the examples, indented.
    pub fn after_help(&self) -> String {
        let mut text = String::from("Examples:");
        for line in self.examples {
            text.push_str("\n  ");
            text.push_str(line);
        }
        text
    }
}

/// `saymon --help`'s text after the options (`saymon` alone shows it too): where to start,
/// the examples of `man saymon`, every exit status in one line each, and where to learn
/// more.
pub fn saymon_after_help() -> String {
    let mut text = String::from(
        "Start here: saymon login (it asks for what is missing), then saymon whoami.\n\nExamples:",
    );
    for (what, line) in SAYMON_EXAMPLES {
        text.push_str(&format!("\n  # {what}\n  {line}"));
    }
    text.push_str("\n\nExit status:");
    for (status, _) in crate::error::STATUSES {
        text.push_str(&format!("\n  {:>5}  {}", status.code(), status.short()));
    }
    text.push_str(
        "\n\nLearn more: saymon COMMAND --help, man saymon, and the guide: docs/ beside README.md\n(installed from a package: /usr/share/doc/saymon/docs/)",
    );
    text
}

/// Every page but `saymon`'s own, by the command's words after `saymon`.
pub const PAGES: &[(&str, &Page)] = &[
    ("login", &LOGIN),
    ("logout", &LOGOUT),
    ("token", &TOKEN),
    ("token create", &TOKEN_CREATE),
    ("token print", &TOKEN_PRINT),
    ("token refresh", &TOKEN_REFRESH),
    ("token revoke", &TOKEN_REVOKE),
    ("profile", &PROFILE),
    ("profile list", &PROFILE_LIST),
    ("profile use", &PROFILE_USE),
    ("profile remove", &PROFILE_REMOVE),
    ("whoami", &WHOAMI),
    ("status", &STATUS),
    ("api", &API),
    ("exec", &EXEC),
    ("proxy", &PROXY),
    ("doctor", &DOCTOR),
    ("completions", &COMPLETIONS),
];

/// The examples of `man saymon`, each (what it does, the command).
pub const SAYMON_EXAMPLES: &[(&str, &str)] = &[
    (
        "Log in, asking for what is missing; the token is stored.",
        "saymon --server https://saymon.example.com login",
    ),
    (
        "The objects' names, filtered without jq installed.",
        "saymon api 'objects?fields=id,name' --jq '.[] | .name'",
    ),
    (
        "Every incident, all pages, one JSON array; check the exit code.",
        "saymon api incidents --paginate > incidents.json",
    ),
    (
        "Rotate the stored token from cron.",
        "printf '%s\\n' \"$PW\" | saymon token refresh --password-stdin",
    ),
    (
        "Hand the token to another tool in its environment only.",
        "saymon exec -- sh -c 'curl -fsS \"$SAYMON_SERVER/node/api/objects?api-token=$SAYMON_TOKEN\"'",
    ),
    (
        "Check every profile: config, keyring, DNS, TCP, TLS, server, token.",
        "saymon doctor --all",
    ),
];

// The exit statuses, read from each command's code. Every command can exit 0, 1 (local
// I/O, stdout that cannot be written, a --jq filter that fails), 2 (clap's usage errors,
// SAYMON_PIN, a bad server address) and 70 (a bug). Every one but `completions` loads the
// config (7: a config dir others may change). 3: it needs a token, a password or a
// profile that exists; 4 and 5: it talks to the server; 130: it may ask for a password or
// token at a hidden prompt (`Session::password`, `login --with-token`).

pub(super) const LOGIN: Page = Page {
    examples: &[
        "saymon --server https://saymon.example.com login          # asks for what is missing",
        "saymon --profile lab --server lab.example login --ca-cert lab.pem",
        "saymon --profile prod --server https://saymon.example.com login \\",
        "    --login robot --store file --remember-password --password-file ~/robot.password",
        "saymon --server https://lab.example:8443 login --pin sha256:AB:CD:…   # a self-signed lab server",
        "vault kv get -field=token secret/saymon | saymon --server saymon.example.com login --with-token",
    ],
    exits: ASKS_FOR_A_PASSWORD,
};

/// `logout --revoke` asks the server with the token: 4, 5; it takes no password.
pub(super) const LOGOUT: Page = Page {
    examples: &[],
    exits: TALKS_WITH_A_TOKEN,
};

pub(super) const TOKEN: Page = Page {
    examples: &[
        "curl \"https://saymon.example.com/node/api/objects?api-token=$(saymon token print)\"",
        "saymon -q --profile prod token refresh          # nightly, from cron",
        "saymon token create --login robot --password-file ~/robot.password",
    ],
    exits: &[],
};

pub(super) const TOKEN_CREATE: Page = Page {
    examples: &[],
    exits: ASKS_FOR_A_PASSWORD,
};

/// The token in use, from the environment or a store: no server is asked.
pub(super) const TOKEN_PRINT: Page = Page {
    examples: &[
        "saymon token print | secret-tool store --label saymon service saymon-ci   # hand it on",
        "saymon -q --profile prod token print --to /var/lib/saymon/prod.token   # for LoadCredential=",
    ],
    exits: &[
        Success,
        Error(Failure),
        Error(Usage),
        Error(NoCredentials),
        Error(StoreUnusable),
        Error(Internal),
    ],
};

pub(super) const TOKEN_REFRESH: Page = Page {
    examples: &[
        "saymon -q --profile prod token refresh          # nightly, from cron",
        "systemctl enable --now saymon-token-refresh@prod.timer   # the packages' daily timer",
    ],
    exits: ASKS_FOR_A_PASSWORD,
};

/// With the token in use, or with a password given (never asked for).
pub(super) const TOKEN_REVOKE: Page = Page {
    examples: &[],
    exits: TALKS_WITH_A_TOKEN,
};

pub(super) const PROFILE: Page = Page {
    examples: &[
        "saymon profile list",
        "saymon profile use prod                        # commands without --profile now use prod",
        "saymon profile remove old-lab --revoke         # delete its token on the server, then forget it",
        "saymon profile list --output json | jq -r '.[] | select(.default) | .name'",
    ],
    exits: &[],
};

/// The config only: no secret, no server, every name shown.
pub(super) const PROFILE_LIST: Page = Page {
    examples: &[],
    exits: &[
        Success,
        Error(Failure),
        Error(Usage),
        Error(StoreUnusable),
        Error(Internal),
    ],
};

/// 3: no profile NAME.
pub(super) const PROFILE_USE: Page = Page {
    examples: &[],
    exits: &[
        Success,
        Error(Failure),
        Error(Usage),
        Error(NoCredentials),
        Error(StoreUnusable),
        Error(Internal),
    ],
};

/// 3: no profile NAME; --revoke asks the server with the token.
pub(super) const PROFILE_REMOVE: Page = Page {
    examples: &[],
    exits: TALKS_WITH_A_TOKEN,
};

pub(super) const WHOAMI: Page = Page {
    examples: &[],
    exits: TALKS_WITH_A_TOKEN,
};

/// The selected profile's token state (or with --all-ok the first that fails): 3, 4, 5, 7.
pub(super) const STATUS: Page = Page {
    examples: &[
        "saymon status",
        "saymon status --profile 'prod-*' --all-ok       # exit 0 only if every prod token works",
        "saymon status --offline --output json",
    ],
    exits: TALKS_WITH_A_TOKEN,
};

/// 6: another 4xx, from `api` alone.
pub(super) const API: Page = Page {
    examples: &[
        "saymon api 'objects?fields=id,name' | jq -r '.[] | [.id, .name] | @tsv'",
        "saymon api \"objects/$ID/history?metrics=cpu&from=$FROM_MS&to=$TO_MS\"",
        "saymon api -X GET incidents -F limit=20",
        "saymon api objects/$ID/stat -d '{\"cpu\": 42.5}'",
        "saymon api -X PATCH objects/$ID -d @object.json",
        "saymon api incidents --paginate --jq 'map(select(.state == 1)) | length'",
        "saymon api -X PATCH objects/$ID -f name=UPS --dry-run   # show the request, send nothing",
        "saymon exec -- sh -c \"$(saymon api --curl objects)\"     # the same request with curl",
    ],
    exits: &[
        Success,
        Error(Failure),
        Error(Usage),
        Error(NoCredentials),
        Error(Rejected),
        Error(Unreachable),
        Error(ClientError),
        Error(StoreUnusable),
        Error(Internal),
    ],
};

/// Its own failures before the command runs (no server is asked), else the command's code.
pub(super) const EXEC: Page = Page {
    examples: &[
        "saymon exec -- sh -c 'curl -fsS \"$SAYMON_SERVER/node/api/objects?api-token=$SAYMON_TOKEN\"'",
        "saymon --profile prod exec -- ./update-dashboards.sh",
        "saymon --profile lab exec -- python3 sync.py      # reads os.environ[\"SAYMON_TOKEN\"]",
    ],
    exits: &[
        Success,
        Error(Failure),
        Error(Usage),
        Error(NoCredentials),
        Error(StoreUnusable),
        Error(Internal),
        Command,
    ],
};

/// 0 on SIGTERM or Ctrl-C; with `-- COMMAND`, the command's code.
pub(super) const PROXY: Page = Page {
    examples: &[
        "saymon proxy &     # prints the socket, e.g. /run/user/1000/saymon/default.sock",
        "curl --unix-socket /run/user/1000/saymon/default.sock http://localhost/node/api/objects",
        "saymon --profile prod proxy --read-only -- ./dashboard.sh    # reads $SAYMON_PROXY",
        "saymon proxy --listen 127.0.0.1:0 -- ./dashboard.sh    # SAYMON_PROXY=http://127.0.0.1:PORT",
    ],
    exits: &[
        Success,
        Error(Failure),
        Error(Usage),
        Error(NoCredentials),
        Error(StoreUnusable),
        Error(Internal),
        Command,
    ],
};

/// The first failed check's code (2: a profile without a server); no password is asked for.
pub(super) const DOCTOR: Page = Page {
    examples: &[
        "saymon doctor",
        "saymon doctor --all --output json | jq '.profiles[] | select(.checks[].state == \"fail\") | .profile'",
    ],
    exits: TALKS_WITH_A_TOKEN,
};

/// No config is read.
pub(super) const COMPLETIONS: Page = Page {
    examples: &[],
    exits: &[Success, Error(Failure), Error(Usage), Error(Internal)],
};

/// A command that needs a token (or a profile) and asks the server, with no prompt for a
/// password.
const TALKS_WITH_A_TOKEN: &[Status] = &[
    Success,
    Error(Failure),
    Error(Usage),
    Error(NoCredentials),
    Error(Rejected),
    Error(Unreachable),
    Error(StoreUnusable),
    Error(Internal),
];

/// A command that makes a token with a password, asked for at a terminal when not given.
const ASKS_FOR_A_PASSWORD: &[Status] = &[
    Success,
    Error(Failure),
    Error(Usage),
    Error(NoCredentials),
    Error(Rejected),
    Error(Unreachable),
    Error(StoreUnusable),
    Error(Internal),
    Cancelled,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_shows_each_example_on_its_own_indented_line() {
        let page = Page {
            examples: &["saymon a \\", "    --b", "saymon c   # d"],
            exits: &[],
        };
        assert_eq!(
            page.after_help(),
            "Examples:\n  saymon a \\\n      --b\n  saymon c   # d"
        );
    }
}
