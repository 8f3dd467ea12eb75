# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_saymon_global_optspecs
    string join \n server= profile= ca-cert= client-cert= client-key= insecure timeout= retries= output= jq= max-mib= config-dir= q/quiet v/verbose h/help V/version
end

function __fish_saymon_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_saymon_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_saymon_using_subcommand
    set -l cmd (__fish_saymon_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c saymon -n "__fish_saymon_needs_command" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_needs_command" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_needs_command" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_needs_command" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_needs_command" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_needs_command" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_needs_command" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_needs_command" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_needs_command" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_needs_command" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_needs_command" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_needs_command" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_needs_command" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_needs_command" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_needs_command" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "login" -d 'Create a token with your login and password, store it, and remember the profile'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "logout" -d 'Forget the profile\'s stored token and password (--revoke: delete the token on the server too)'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "token" -d 'Create, print, refresh and revoke tokens'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "profile" -d 'List the profiles, choose the default one, remove one'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "whoami" -d 'Show the user the stored token belongs to, as the server sees it'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "status" -d 'Every profile: server, login, where its secrets live, whether its token works'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "api" -d 'Send any authenticated request to the SAYMON API and print the response body'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "exec" -d 'Run a command with SAYMON_SERVER, SAYMON_TOKEN and SAYMON_PROFILE in its environment'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "proxy" -d 'Serve the profile\'s API on a private socket, adding the token to every request, so that scripts and dashboards never hold it'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "doctor" -d 'Check every step to a working token, one line each with the fix'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c saymon -n "__fish_saymon_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c saymon -n "__fish_saymon_using_subcommand login" -l login -d 'Login name or e-mail [default: the profile\'s; else asked at a terminal]' -r
complete -c saymon -n "__fish_saymon_using_subcommand login" -l password-file -d 'Read the password from this file (its first line)' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand login" -l user-id -d 'The user\'s id (24 hex digits) [default: the profile\'s; else asked from the server]' -r
complete -c saymon -n "__fish_saymon_using_subcommand login" -l store -d 'Where to keep the token [default: the profile\'s, else auto]' -r -f -a "auto\t'The keyring when it answers; else, at a terminal, ask before using the file'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'credentials.toml in the config dir, readable only by you (mode 0600)'"
complete -c saymon -n "__fish_saymon_using_subcommand login" -l pin -d 'Trust the server\'s certificate only if its SHA-256 fingerprint is this one (colons and case ignored), and pin it for the profile, as --ca-cert with that certificate would: for a self-signed server without a terminal to ask at' -r
complete -c saymon -n "__fish_saymon_using_subcommand login" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand login" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand login" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand login" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand login" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand login" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand login" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand login" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand login" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand login" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand login" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand login" -l password-stdin -d 'Read the password from the first line of stdin'
complete -c saymon -n "__fish_saymon_using_subcommand login" -l remember-password -d 'Also keep the password, in the same store, so that `token refresh` needs no input (for cron). Without it, a password remembered before is forgotten'
complete -c saymon -n "__fish_saymon_using_subcommand login" -l with-token -d 'Store a token made elsewhere (by an admin, for an LDAP/SSO account, from a vault), read from stdin (hidden at a terminal): checked with the server first, then stored, and the profile takes its login and user id from the server\'s answer'
complete -c saymon -n "__fish_saymon_using_subcommand login" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand login" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand login" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_using_subcommand login" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l revoke -d 'Also delete the token on the server (authenticated with the token itself)'
complete -c saymon -n "__fish_saymon_using_subcommand logout" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand logout" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand logout" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand logout" -s h -l help -d 'Print help'
complete -c saymon -n "__fish_saymon_using_subcommand logout" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -s h -l help -d 'Print help'
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -f -a "create" -d 'Create a new token and print it, bare, on stdout'
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -f -a "print" -d 'Print the token in use (SAYMON_TOKEN, SAYMON_TOKEN_FILE, the systemd credential, else the stored one), bare, on stdout'
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -f -a "refresh" -d 'Create a fresh token and replace the stored one (for cron); prints no token'
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -f -a "revoke" -d 'Delete the user\'s token on the server and forget it locally'
complete -c saymon -n "__fish_saymon_using_subcommand token; and not __fish_seen_subcommand_from create print refresh revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l login -d 'Login name or e-mail [default: the profile\'s; else asked at a terminal]' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l password-file -d 'Read the password from this file (its first line)' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l user-id -d 'The user\'s id (24 hex digits) [default: the profile\'s; else asked from the server]' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l store -d 'Where to store it with --save [default: the profile\'s, else auto]' -r -f -a "auto\t'The keyring when it answers; else, at a terminal, ask before using the file'
keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'credentials.toml in the config dir, readable only by you (mode 0600)'"
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l password-stdin -d 'Read the password from the first line of stdin'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l save -d 'Also store the token, creating the profile if there is none'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l to -d 'Write the token (one line) to FILE, readable by you alone, instead of stdout' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from print" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l login -d 'Login name or e-mail [default: the profile\'s; else asked at a terminal]' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l password-file -d 'Read the password from this file (its first line)' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l user-id -d 'The user\'s id (24 hex digits) [default: the profile\'s; else asked from the server]' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l password-stdin -d 'Read the password from the first line of stdin'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l if-invalid -d 'First ask the server whether the stored token still works; create one only if not'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from refresh" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l login -d 'Login name or e-mail [default: the profile\'s; else asked at a terminal]' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l password-file -d 'Read the password from this file (its first line)' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l user-id -d 'The user\'s id (24 hex digits) [default: the profile\'s; else asked from the server]' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l password-stdin -d 'Read the password from the first line of stdin'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a new token and print it, bare, on stdout'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "print" -d 'Print the token in use (SAYMON_TOKEN, SAYMON_TOKEN_FILE, the systemd credential, else the stored one), bare, on stdout'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "refresh" -d 'Create a fresh token and replace the stored one (for cron); prints no token'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Delete the user\'s token on the server and forget it locally'
complete -c saymon -n "__fish_saymon_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -s h -l help -d 'Print help'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -f -a "list" -d 'Every profile: its server, login, store, and which is the default'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -f -a "use" -d 'Make NAME the default profile (the one used without --profile)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -f -a "remove" -d 'Forget NAME\'s token and password in whichever store holds them, then remove it from config.toml (--revoke: delete the token on the server first; --keep-secrets: leave them)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and not __fish_seen_subcommand_from list use remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from use" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l revoke -d 'First delete the profile\'s token on the server (authenticated with the token itself)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l keep-secrets -d 'Remove only the profile: its token and password stay where they are kept (for a keyring that cannot be reached here, e.g. over SSH), and saymon says where'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "list" -d 'Every profile: its server, login, store, and which is the default'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make NAME the default profile (the one used without --profile)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Forget NAME\'s token and password in whichever store holds them, then remove it from config.toml (--revoke: delete the token on the server first; --keep-secrets: leave them)'
complete -c saymon -n "__fish_saymon_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -s h -l help -d 'Print help'
complete -c saymon -n "__fish_saymon_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand status" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand status" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand status" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand status" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand status" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand status" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand status" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand status" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand status" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand status" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand status" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand status" -l offline -d 'Do not ask the servers whether the tokens work'
complete -c saymon -n "__fish_saymon_using_subcommand status" -l all-ok -d 'Exit 0 only when every profile checked has a working token (else the first failure\'s code), not just the selected one'
complete -c saymon -n "__fish_saymon_using_subcommand status" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand status" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand status" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_using_subcommand status" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand api" -s X -l method -d 'HTTP method [default: POST with a body or fields, else GET]' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -s d -l data -d 'Request body: JSON text, @FILE, or @- for stdin (sent as application/json unless -H sets a Content-Type)' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -s f -l raw-field -d 'A string field: part of a JSON object body (POST, PUT, PATCH) or a query parameter (GET, DELETE)' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -s F -l field -d 'A typed field: true, false, null and numbers become JSON values; @FILE reads the value from a file' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -s H -l header -d 'An extra request header' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -l page-size -d 'Items per page for --paginate [default: a `limit` in PATH or -F, else 100]' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand api" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand api" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand api" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand api" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand api" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand api" -s i -l include -d 'Print the status line and response headers before the body'
complete -c saymon -n "__fish_saymon_using_subcommand api" -l raw -d 'Print the body exactly as received, also at a terminal'
complete -c saymon -n "__fish_saymon_using_subcommand api" -l paginate -d 'GET every page (`limit` and `skip`, advancing skip by the items received, until a page is shorter than the page size) and print one JSON array of all items, written as pages arrive. If a page fails, the array so far is closed (stdout stays valid JSON) and the exit code is that page\'s: scripts must check it. A page size above the server\'s own cap ends early: keep it at or below that cap'
complete -c saymon -n "__fish_saymon_using_subcommand api" -l dry-run -d 'Print the request that would be sent (method, URL with api-token=***, headers, body), and send nothing'
complete -c saymon -n "__fish_saymon_using_subcommand api" -l curl -d 'Print one curl command line that sends the same request, reading the token from $SAYMON_TOKEN when it runs (under `saymon exec`), and send nothing'
complete -c saymon -n "__fish_saymon_using_subcommand api" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand api" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand api" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand api" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_using_subcommand api" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l no-mask -d 'Pass the command\'s output through untouched: without it, the token (and a remembered password) is shown as *** in each of its stdout and stderr that is not a terminal'
complete -c saymon -n "__fish_saymon_using_subcommand exec" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand exec" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand exec" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_using_subcommand exec" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l socket -d 'Serve on this unix socket (mode 0600, in a directory of your own) [default: $XDG_RUNTIME_DIR/saymon/PROFILE.sock]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l listen -d 'Serve over TCP on this loopback address instead (127.0.0.1:PORT or [::1]:PORT; port 0 picks a free one): only requests for localhost and without Origin are served' -r
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l max-requests -d 'The most requests served at once; one more is answered 503 at once. A client that leaves its answer unread, or stops sending its body, for --timeout loses its place' -r
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l read-only -d 'Forward only GET and HEAD; any other method is refused (403) before it reaches the server'
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_using_subcommand proxy" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l all -d 'Check every profile (at once), not only the selected one'
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c saymon -n "__fish_saymon_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l server -d 'SAYMON server: a URL, or a bare host that means https://HOST' -r
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l profile -d 'Profile to use [default: the config\'s default profile, else "default"]; status takes several, and globs (\'prod-*\')' -r
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l ca-cert -d 'Also trust the CA certificates in this PEM file, and a server that presents one of them as its own (a self-signed lab certificate); remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l client-cert -d 'Client certificate (PEM) for a server that asks for mutual TLS; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l client-key -d 'Private key of --client-cert (PEM; mode 600), unless the certificate\'s file holds it; remembered by login' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l timeout -d 'Seconds the network work with a server may take, all of it: connecting, TLS, the answer (api streams its body: there each read gets this long)' -r
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l retries -d 'How often a read (GET, HEAD) is tried again after a connection error, 429 or 502/503/504, within --timeout; 0 never (other requests are never retried)' -r
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l jq -d 'Filter the JSON result with this jq expression (built in): strings print raw, one a line, other values as compact JSON (with --output json, every result as JSON)' -r
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l max-mib -d 'The most memory --jq may use, in MiB: the answer (or --paginate\'s pages) it keeps, and what the filter builds while it runs; past it, exit 1' -r
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l config-dir -d 'Directory for config.toml and credentials.toml [default: ~/.config/saymon]' -r -F
complete -c saymon -n "__fish_saymon_using_subcommand completions" -l insecure -d 'Do not verify the server\'s TLS certificate; given at login, remembered for the profile\'s server until a login without it (warns on every use)'
complete -c saymon -n "__fish_saymon_using_subcommand completions" -s q -l quiet -d 'Print only results and errors'
complete -c saymon -n "__fish_saymon_using_subcommand completions" -s v -l verbose -d 'Log each request on stderr (tokens shown as ***, no Authorization)'
complete -c saymon -n "__fish_saymon_using_subcommand completions" -s h -l help -d 'Print help'
complete -c saymon -n "__fish_saymon_using_subcommand completions" -s V -l version -d 'Print version'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "login" -d 'Create a token with your login and password, store it, and remember the profile'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "logout" -d 'Forget the profile\'s stored token and password (--revoke: delete the token on the server too)'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "token" -d 'Create, print, refresh and revoke tokens'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "profile" -d 'List the profiles, choose the default one, remove one'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "whoami" -d 'Show the user the stored token belongs to, as the server sees it'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "status" -d 'Every profile: server, login, where its secrets live, whether its token works'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "api" -d 'Send any authenticated request to the SAYMON API and print the response body'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "exec" -d 'Run a command with SAYMON_SERVER, SAYMON_TOKEN and SAYMON_PROFILE in its environment'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "proxy" -d 'Serve the profile\'s API on a private socket, adding the token to every request, so that scripts and dashboards never hold it'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "doctor" -d 'Check every step to a working token, one line each with the fix'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c saymon -n "__fish_saymon_using_subcommand help; and not __fish_seen_subcommand_from login logout token profile whoami status api exec proxy doctor completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c saymon -n "__fish_saymon_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "create" -d 'Create a new token and print it, bare, on stdout'
complete -c saymon -n "__fish_saymon_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "print" -d 'Print the token in use (SAYMON_TOKEN, SAYMON_TOKEN_FILE, the systemd credential, else the stored one), bare, on stdout'
complete -c saymon -n "__fish_saymon_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "refresh" -d 'Create a fresh token and replace the stored one (for cron); prints no token'
complete -c saymon -n "__fish_saymon_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Delete the user\'s token on the server and forget it locally'
complete -c saymon -n "__fish_saymon_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "list" -d 'Every profile: its server, login, store, and which is the default'
complete -c saymon -n "__fish_saymon_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "use" -d 'Make NAME the default profile (the one used without --profile)'
complete -c saymon -n "__fish_saymon_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "remove" -d 'Forget NAME\'s token and password in whichever store holds them, then remove it from config.toml (--revoke: delete the token on the server first; --keep-secrets: leave them)'
