
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'saymon' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'saymon'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'saymon' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Create a token with your login and password, store it, and remember the profile')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the profile''s stored token and password (--revoke: delete the token on the server too)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Create, print, refresh and revoke tokens')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'List the profiles, choose the default one, remove one')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show the user the stored token belongs to, as the server sees it')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every profile: server, login, where its secrets live, whether its token works')
            [CompletionResult]::new('api', 'api', [CompletionResultType]::ParameterValue, 'Send any authenticated request to the SAYMON API and print the response body')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with SAYMON_SERVER, SAYMON_TOKEN and SAYMON_PROFILE in its environment')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Serve the profile''s API on a private socket, adding the token to every request, so that scripts and dashboards never hold it')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check every step to a working token, one line each with the fix')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'saymon;login' {
            [CompletionResult]::new('--login', '--login', [CompletionResultType]::ParameterName, 'Login name or e-mail [default: the profile''s; else asked at a terminal]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (its first line)')
            [CompletionResult]::new('--user-id', '--user-id', [CompletionResultType]::ParameterName, 'The user''s id (24 hex digits) [default: the profile''s; else asked from the server]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep the token [default: the profile''s, else auto]')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Trust the server''s certificate only if its SHA-256 fingerprint is this one (colons and case ignored), and pin it for the profile, as --ca-cert with that certificate would: for a self-signed server without a terminal to ask at')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of stdin')
            [CompletionResult]::new('--remember-password', '--remember-password', [CompletionResultType]::ParameterName, 'Also keep the password, in the same store, so that `token refresh` needs no input (for cron). Without it, a password remembered before is forgotten')
            [CompletionResult]::new('--with-token', '--with-token', [CompletionResultType]::ParameterName, 'Store a token made elsewhere (by an admin, for an LDAP/SSO account, from a vault), read from stdin (hidden at a terminal): checked with the server first, then stored, and the profile takes its login and user id from the server''s answer')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;logout' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'Also delete the token on the server (authenticated with the token itself)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;token' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a new token and print it, bare, on stdout')
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Print the token in use (SAYMON_TOKEN, SAYMON_TOKEN_FILE, the systemd credential, else the stored one), bare, on stdout')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Create a fresh token and replace the stored one (for cron); prints no token')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Delete the user''s token on the server and forget it locally')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'saymon;token;create' {
            [CompletionResult]::new('--login', '--login', [CompletionResultType]::ParameterName, 'Login name or e-mail [default: the profile''s; else asked at a terminal]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (its first line)')
            [CompletionResult]::new('--user-id', '--user-id', [CompletionResultType]::ParameterName, 'The user''s id (24 hex digits) [default: the profile''s; else asked from the server]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to store it with --save [default: the profile''s, else auto]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of stdin')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Also store the token, creating the profile if there is none')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;token;print' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Write the token (one line) to FILE, readable by you alone, instead of stdout')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;token;refresh' {
            [CompletionResult]::new('--login', '--login', [CompletionResultType]::ParameterName, 'Login name or e-mail [default: the profile''s; else asked at a terminal]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (its first line)')
            [CompletionResult]::new('--user-id', '--user-id', [CompletionResultType]::ParameterName, 'The user''s id (24 hex digits) [default: the profile''s; else asked from the server]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of stdin')
            [CompletionResult]::new('--if-invalid', '--if-invalid', [CompletionResultType]::ParameterName, 'First ask the server whether the stored token still works; create one only if not')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;token;revoke' {
            [CompletionResult]::new('--login', '--login', [CompletionResultType]::ParameterName, 'Login name or e-mail [default: the profile''s; else asked at a terminal]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (its first line)')
            [CompletionResult]::new('--user-id', '--user-id', [CompletionResultType]::ParameterName, 'The user''s id (24 hex digits) [default: the profile''s; else asked from the server]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of stdin')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;token;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a new token and print it, bare, on stdout')
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Print the token in use (SAYMON_TOKEN, SAYMON_TOKEN_FILE, the systemd credential, else the stored one), bare, on stdout')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Create a fresh token and replace the stored one (for cron); prints no token')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Delete the user''s token on the server and forget it locally')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'saymon;token;help;create' {
            break
        }
        'saymon;token;help;print' {
            break
        }
        'saymon;token;help;refresh' {
            break
        }
        'saymon;token;help;revoke' {
            break
        }
        'saymon;token;help;help' {
            break
        }
        'saymon;profile' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every profile: its server, login, store, and which is the default')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make NAME the default profile (the one used without --profile)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Forget NAME''s token and password in whichever store holds them, then remove it from config.toml (--revoke: delete the token on the server first; --keep-secrets: leave them)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'saymon;profile;list' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;profile;use' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;profile;remove' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'First delete the profile''s token on the server (authenticated with the token itself)')
            [CompletionResult]::new('--keep-secrets', '--keep-secrets', [CompletionResultType]::ParameterName, 'Remove only the profile: its token and password stay where they are kept (for a keyring that cannot be reached here, e.g. over SSH), and saymon says where')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;profile;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every profile: its server, login, store, and which is the default')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make NAME the default profile (the one used without --profile)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Forget NAME''s token and password in whichever store holds them, then remove it from config.toml (--revoke: delete the token on the server first; --keep-secrets: leave them)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'saymon;profile;help;list' {
            break
        }
        'saymon;profile;help;use' {
            break
        }
        'saymon;profile;help;remove' {
            break
        }
        'saymon;profile;help;help' {
            break
        }
        'saymon;whoami' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;status' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Do not ask the servers whether the tokens work')
            [CompletionResult]::new('--all-ok', '--all-ok', [CompletionResultType]::ParameterName, 'Exit 0 only when every profile checked has a working token (else the first failure''s code), not just the selected one')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;api' {
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'HTTP method [default: POST with a body or fields, else GET]')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method [default: POST with a body or fields, else GET]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Request body: JSON text, @FILE, or @- for stdin (sent as application/json unless -H sets a Content-Type)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Request body: JSON text, @FILE, or @- for stdin (sent as application/json unless -H sets a Content-Type)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A string field: part of a JSON object body (POST, PUT, PATCH) or a query parameter (GET, DELETE)')
            [CompletionResult]::new('--raw-field', '--raw-field', [CompletionResultType]::ParameterName, 'A string field: part of a JSON object body (POST, PUT, PATCH) or a query parameter (GET, DELETE)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'A typed field: true, false, null and numbers become JSON values; @FILE reads the value from a file')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'A typed field: true, false, null and numbers become JSON values; @FILE reads the value from a file')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'An extra request header')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Items per page for --paginate [default: a `limit` in PATH or -F, else 100]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Print the status line and response headers before the body')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Print the status line and response headers before the body')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the body exactly as received, also at a terminal')
            [CompletionResult]::new('--paginate', '--paginate', [CompletionResultType]::ParameterName, 'GET every page (`limit` and `skip`, advancing skip by the items received, until a page is shorter than the page size) and print one JSON array of all items, written as pages arrive. If a page fails, the array so far is closed (stdout stays valid JSON) and the exit code is that page''s: scripts must check it. A page size above the server''s own cap ends early: keep it at or below that cap')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (method, URL with api-token=***, headers, body), and send nothing')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print one curl command line that sends the same request, reading the token from $SAYMON_TOKEN when it runs (under `saymon exec`), and send nothing')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;exec' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Pass the command''s output through untouched: without it, the token (and a remembered password) is shown as *** in each of its stdout and stderr that is not a terminal')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;proxy' {
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'Serve on this unix socket (mode 0600, in a directory of your own) [default: $XDG_RUNTIME_DIR/saymon/PROFILE.sock]')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Serve over TCP on this loopback address instead (127.0.0.1:PORT or [::1]:PORT; port 0 picks a free one): only requests for localhost and without Origin are served')
            [CompletionResult]::new('--max-requests', '--max-requests', [CompletionResultType]::ParameterName, 'The most requests served at once; one more is answered 503 at once. A client that leaves its answer unread, or stops sending its body, for --timeout loses its place')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Forward only GET and HEAD; any other method is refused (403) before it reaches the server')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;doctor' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Check every profile (at once), not only the selected one')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;completions' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'SAYMON server: a URL, or a bare host that means https://HOST')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the config''s default profile, else "default"]; status takes several, and globs (''prod-*'')')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'Private key of --client-cert (PEM; mode 600), unless the certificate''s file holds it; remembered by login')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)')
            [CompletionResult]::new('--max-mib', '--max-mib', [CompletionResultType]::ParameterName, 'The most memory --jq may use, in MiB: the answer (or --paginate''s pages) it keeps, and what the filter builds while it runs; past it, exit 1')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate; given at login, remembered for the profile''s server until a login without it (warns on every use)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each request on stderr (tokens shown as ***, no Authorization)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'saymon;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Create a token with your login and password, store it, and remember the profile')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the profile''s stored token and password (--revoke: delete the token on the server too)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Create, print, refresh and revoke tokens')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'List the profiles, choose the default one, remove one')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show the user the stored token belongs to, as the server sees it')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every profile: server, login, where its secrets live, whether its token works')
            [CompletionResult]::new('api', 'api', [CompletionResultType]::ParameterValue, 'Send any authenticated request to the SAYMON API and print the response body')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with SAYMON_SERVER, SAYMON_TOKEN and SAYMON_PROFILE in its environment')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Serve the profile''s API on a private socket, adding the token to every request, so that scripts and dashboards never hold it')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check every step to a working token, one line each with the fix')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'saymon;help;login' {
            break
        }
        'saymon;help;logout' {
            break
        }
        'saymon;help;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a new token and print it, bare, on stdout')
            [CompletionResult]::new('print', 'print', [CompletionResultType]::ParameterValue, 'Print the token in use (SAYMON_TOKEN, SAYMON_TOKEN_FILE, the systemd credential, else the stored one), bare, on stdout')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Create a fresh token and replace the stored one (for cron); prints no token')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Delete the user''s token on the server and forget it locally')
            break
        }
        'saymon;help;token;create' {
            break
        }
        'saymon;help;token;print' {
            break
        }
        'saymon;help;token;refresh' {
            break
        }
        'saymon;help;token;revoke' {
            break
        }
        'saymon;help;profile' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every profile: its server, login, store, and which is the default')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make NAME the default profile (the one used without --profile)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Forget NAME''s token and password in whichever store holds them, then remove it from config.toml (--revoke: delete the token on the server first; --keep-secrets: leave them)')
            break
        }
        'saymon;help;profile;list' {
            break
        }
        'saymon;help;profile;use' {
            break
        }
        'saymon;help;profile;remove' {
            break
        }
        'saymon;help;whoami' {
            break
        }
        'saymon;help;status' {
            break
        }
        'saymon;help;api' {
            break
        }
        'saymon;help;exec' {
            break
        }
        'saymon;help;proxy' {
            break
        }
        'saymon;help;doctor' {
            break
        }
        'saymon;help;completions' {
            break
        }
        'saymon;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
