
use builtin;
use str;

set edit:completion:arg-completer[saymon] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'saymon'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'saymon'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Create a token with your login and password, store it, and remember the profile'
            cand logout 'Forget the profile''s stored token and password (--revoke: delete the token on the server too)'
            cand token 'Create, print, refresh and revoke tokens'
            cand profile 'List the profiles, choose the default one, remove one'
            cand whoami 'Show the user the stored token belongs to, as the server sees it'
            cand status 'Every profile: server, login, where its secrets live, whether its token works'
            cand api 'Send any authenticated request to the SAYMON API and print the response body'
            cand exec 'Run a command with SAYMON_SERVER, SAYMON_TOKEN and SAYMON_PROFILE in its environment'
            cand proxy 'Serve the profile''s API on a private socket, adding the token to every request, so that scripts and dashboards never hold it'
            cand doctor 'Check every step to a working token, one line each with the fix'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'saymon;login'= {
            cand --login 'Login name or e-mail [default: the profile''s; else asked at a terminal]'
            cand --password-file 'Read the password from this file (its first line)'
            cand --user-id 'The user''s id (24 hex digits) [default: the profile''s; else asked from the server]'
            cand --store 'Where to keep the token [default: the profile''s, else auto]'
            cand --pin 'Trust the server''s certificate only if its SHA-256 fingerprint is this one (colons and case ignored), and pin it for the profile, as --ca-cert with that certificate would: for a self-signed server without a terminal to ask at'
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --password-stdin 'Read the password from the first line of stdin'
            cand --remember-password 'Also keep the password, in the same store, so that `token refresh` needs no input (for cron). Without it, a password remembered before is forgotten'
            cand --with-token 'Store a token made elsewhere (by an admin, for an LDAP/SSO account, from a vault), read from stdin (hidden at a terminal): checked with the server first, then stored, and the profile takes its login and user id from the server''s answer'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;logout'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --revoke 'Also delete the token on the server (authenticated with the token itself)'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;token'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a new token and print it, bare, on stdout'
            cand print 'Print the token in use (SAYMON_TOKEN, SAYMON_TOKEN_FILE, the systemd credential, else the stored one), bare, on stdout'
            cand refresh 'Create a fresh token and replace the stored one (for cron); prints no token'
            cand revoke 'Delete the user''s token on the server and forget it locally'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'saymon;token;create'= {
            cand --login 'Login name or e-mail [default: the profile''s; else asked at a terminal]'
            cand --password-file 'Read the password from this file (its first line)'
            cand --user-id 'The user''s id (24 hex digits) [default: the profile''s; else asked from the server]'
            cand --store 'Where to store it with --save [default: the profile''s, else auto]'
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --password-stdin 'Read the password from the first line of stdin'
            cand --save 'Also store the token, creating the profile if there is none'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;token;print'= {
            cand --to 'Write the token (one line) to FILE, readable by you alone, instead of stdout'
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;token;refresh'= {
            cand --login 'Login name or e-mail [default: the profile''s; else asked at a terminal]'
            cand --password-file 'Read the password from this file (its first line)'
            cand --user-id 'The user''s id (24 hex digits) [default: the profile''s; else asked from the server]'
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --password-stdin 'Read the password from the first line of stdin'
            cand --if-invalid 'First ask the server whether the stored token still works; create one only if not'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;token;revoke'= {
            cand --login 'Login name or e-mail [default: the profile''s; else asked at a terminal]'
            cand --password-file 'Read the password from this file (its first line)'
            cand --user-id 'The user''s id (24 hex digits) [default: the profile''s; else asked from the server]'
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --password-stdin 'Read the password from the first line of stdin'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;token;help'= {
            cand create 'Create a new token and print it, bare, on stdout'
            cand print 'Print the token in use (SAYMON_TOKEN, SAYMON_TOKEN_FILE, the systemd credential, else the stored one), bare, on stdout'
            cand refresh 'Create a fresh token and replace the stored one (for cron); prints no token'
            cand revoke 'Delete the user''s token on the server and forget it locally'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'saymon;token;help;create'= {
        }
        &'saymon;token;help;print'= {
        }
        &'saymon;token;help;refresh'= {
        }
        &'saymon;token;help;revoke'= {
        }
        &'saymon;token;help;help'= {
        }
        &'saymon;profile'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Every profile: its server, login, store, and which is the default'
            cand use 'Make NAME the default profile (the one used without --profile)'
            cand remove 'Forget NAME''s token and password in whichever store holds them, then remove it from config.toml (--revoke: delete the token on the server first; --keep-secrets: leave them)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'saymon;profile;list'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;profile;use'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;profile;remove'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --revoke 'First delete the profile''s token on the server (authenticated with the token itself)'
            cand --keep-secrets 'Remove only the profile: its token and password stay where they are kept (for a keyring that cannot be reached here, e.g. over SSH), and saymon says where'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;profile;help'= {
            cand list 'Every profile: its server, login, store, and which is the default'
            cand use 'Make NAME the default profile (the one used without --profile)'
            cand remove 'Forget NAME''s token and password in whichever store holds them, then remove it from config.toml (--revoke: delete the token on the server first; --keep-secrets: leave them)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'saymon;profile;help;list'= {
        }
        &'saymon;profile;help;use'= {
        }
        &'saymon;profile;help;remove'= {
        }
        &'saymon;profile;help;help'= {
        }
        &'saymon;whoami'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;status'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --offline 'Do not ask the servers whether the tokens work'
            cand --all-ok 'Exit 0 only when every profile checked has a working token (else the first failure''s code), not just the selected one'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;api'= {
            cand -X 'HTTP method [default: POST with a body or fields, else GET]'
            cand --method 'HTTP method [default: POST with a body or fields, else GET]'
            cand -d 'Request body: JSON text, @FILE, or @- for stdin (sent as application/json unless -H sets a Content-Type)'
            cand --data 'Request body: JSON text, @FILE, or @- for stdin (sent as application/json unless -H sets a Content-Type)'
            cand -f 'A string field: part of a JSON object body (POST, PUT, PATCH) or a query parameter (GET, DELETE)'
            cand --raw-field 'A string field: part of a JSON object body (POST, PUT, PATCH) or a query parameter (GET, DELETE)'
            cand -F 'A typed field: true, false, null and numbers become JSON values; @FILE reads the value from a file'
            cand --field 'A typed field: true, false, null and numbers become JSON values; @FILE reads the value from a file'
            cand -H 'An extra request header'
            cand --header 'An extra request header'
            cand --page-size 'Items per page for --paginate [default: a `limit` in PATH or -F, else 100]'
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand -i 'Print the status line and response headers before the body'
            cand --include 'Print the status line and response headers before the body'
            cand --raw 'Print the body exactly as received, also at a terminal'
            cand --paginate 'GET every page (`limit` and `skip`, advancing skip by the items received, until a page is shorter than the page size) and print one JSON array of all items, written as pages arrive. If a page fails, the array so far is closed (stdout stays valid JSON) and the exit code is that page''s: scripts must check it. A page size above the server''s own cap ends early: keep it at or below that cap'
            cand --dry-run 'Print the request that would be sent (method, URL with api-token=***, headers, body), and send nothing'
            cand --curl 'Print one curl command line that sends the same request, reading the token from $SAYMON_TOKEN when it runs (under `saymon exec`), and send nothing'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;exec'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --no-mask 'Pass the command''s output through untouched: without it, the token (and a remembered password) is shown as *** in each of its stdout and stderr that is not a terminal'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;proxy'= {
            cand --socket 'Serve on this unix socket (mode 0600, in a directory of your own) [default: $XDG_RUNTIME_DIR/saymon/PROFILE.sock]'
            cand --listen 'Serve over TCP on this loopback address instead (127.0.0.1:PORT or [::1]:PORT; port 0 picks a free one): only requests for localhost and without Origin are served'
            cand --max-requests 'The most requests served at once; one more is answered 503 at once. A client that leaves its answer unread, or stops sending its body, for --timeout loses its place'
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --read-only 'Forward only GET and HEAD; any other method is refused (403) before it reaches the server'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;doctor'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --all 'Check every profile (at once), not only the selected one'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;completions'= {
            cand --server 'SAYMON server: a URL, or a bare host that means https://HOST'
            cand --profile 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')'
            cand --ca-cert 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login'
            cand --client-cert 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login'
            cand --client-key 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login'
            cand --timeout 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)'
            cand --retries 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)'
            cand --output 'Result format on stdout'
            cand --jq 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)'
            cand --max-mib 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1'
            cand --config-dir 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]'
            cand --insecure 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand --verbose 'Log each request on stderr (tokens shown as ***, no Authorization)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'saymon;help'= {
            cand login 'Create a token with your login and password, store it, and remember the profile'
            cand logout 'Forget the profile''s stored token and password (--revoke: delete the token on the server too)'
            cand token 'Create, print, refresh and revoke tokens'
            cand profile 'List the profiles, choose the default one, remove one'
            cand whoami 'Show the user the stored token belongs to, as the server sees it'
            cand status 'Every profile: server, login, where its secrets live, whether its token works'
            cand api 'Send any authenticated request to the SAYMON API and print the response body'
            cand exec 'Run a command with SAYMON_SERVER, SAYMON_TOKEN and SAYMON_PROFILE in its environment'
            cand proxy 'Serve the profile''s API on a private socket, adding the token to every request, so that scripts and dashboards never hold it'
            cand doctor 'Check every step to a working token, one line each with the fix'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'saymon;help;login'= {
        }
        &'saymon;help;logout'= {
        }
        &'saymon;help;token'= {
            cand create 'Create a new token and print it, bare, on stdout'
            cand print 'Print the token in use (SAYMON_TOKEN, SAYMON_TOKEN_FILE, the systemd credential, else the stored one), bare, on stdout'
            cand refresh 'Create a fresh token and replace the stored one (for cron); prints no token'
            cand revoke 'Delete the user''s token on the server and forget it locally'
        }
        &'saymon;help;token;create'= {
        }
        &'saymon;help;token;print'= {
        }
        &'saymon;help;token;refresh'= {
        }
        &'saymon;help;token;revoke'= {
        }
        &'saymon;help;profile'= {
            cand list 'Every profile: its server, login, store, and which is the default'
            cand use 'Make NAME the default profile (the one used without --profile)'
            cand remove 'Forget NAME''s token and password in whichever store holds them, then remove it from config.toml (--revoke: delete the token on the server first; --keep-secrets: leave them)'
        }
        &'saymon;help;profile;list'= {
        }
        &'saymon;help;profile;use'= {
        }
        &'saymon;help;profile;remove'= {
        }
        &'saymon;help;whoami'= {
        }
        &'saymon;help;status'= {
        }
        &'saymon;help;api'= {
        }
        &'saymon;help;exec'= {
        }
        &'saymon;help;proxy'= {
        }
        &'saymon;help;doctor'= {
        }
        &'saymon;help;completions'= {
        }
        &'saymon;help;help'= {
        }
    ]
    $completions[$command]
}
