#!/usr/bin/env bash
# saymon against curl, side by side, on this machine: `bash bench/run.sh` from the repo root.
#
# nginx serves fixed SAYMON answers over loopback HTTPS with a CA-signed certificate (so the
# server's own cost is tiny and the same for both clients), and hyperfine times:
#   - `saymon whoami` (file store)         vs  curl GET users/current with the token on its command line
#   - `saymon whoami` (token in a real gnome-keyring, on a private session bus) vs the same curl
#   - `saymon token create --password-stdin` vs  curl -X POST -u login:password .../auth-token
#   - `saymon --version`
#   - a request through `saymon proxy` (curl over its unix socket) vs curl straight to the
#     server with the token: the median of one request each (a fresh curl, so a fresh TLS
#     handshake on the direct side), requests per second with 32 at once (one curl -Z each
#     side, 2000 requests), and the proxy's peak memory over all of it
# Medians, the saymon/curl ratios, and peak memory (GNU time) go to BENCHMARKS.md with the
# machine. Not a test: CI does not run it. Needs Debian's hyperfine, nginx, time, openssl,
# curl, gnome-keyring, libsecret-tools, dbus-daemon, dbus-bin (installed with apt-get when
# missing and this runs as root); it runs itself under .ci/with-keyring.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in hyperfine:hyperfine nginx:nginx openssl:openssl curl:curl /usr/bin/time:time \
    gnome-keyring-daemon:gnome-keyring secret-tool:libsecret-tools \
    dbus-run-session:dbus-daemon dbus-send:dbus-bin; do
    command -v "${tool%%:*}" >/dev/null || need+=("${tool##*:}")
done
if [ "${#need[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "bench: please install: ${need[*]}" >&2
        exit 1
    fi
    echo "bench: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The keyring row needs a Secret Service: a private one, never the user's own.
if [ -z "${SAYMON_KEYRING_SESSION:-}" ]; then
    exec .ci/with-keyring bash "$0" "$@"
fi

cargo build --release --locked --quiet
saymon=$PWD/target/release/saymon

work=$(mktemp -d)
nginx_pid=
proxy_pid=
cleanup() {
    [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A CA and a certificate for 127.0.0.1 signed by it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=saymon bench CA" -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=127.0.0.1" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
    -CAcreateserial -days 2 -extfile "$work/san.ext" -out "$work/server.pem" 2>/dev/null

port=$(( 20000 + RANDOM % 20000 ))
user_id=5e21b752308c3c66d64e072c
token=a5f946dc-4c21-4ccd-b78b-f0a5fce94f4d
password=bench-password
mkdir -p "$work/nginx"
cat >"$work/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $work/nginx;
    proxy_temp_path $work/nginx;
    fastcgi_temp_path $work/nginx;
    uwsgi_temp_path $work/nginx;
    scgi_temp_path $work/nginx;
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $work/server.pem;
        ssl_certificate_key $work/server.key;
        default_type application/json;
        location = /node/api/users/current {
            return 200 '{"id":"$user_id","login":"admin","displayName":"Ada Admin","email":"admin@example.com","permissions":["manage-objects"]}';
        }
        location = /node/api/users/$user_id/auth-token { return 200 '"$token"'; }
        location = /node/api/version/hash { return 200 '"3f2a9c1"'; }
    }
}
EOF
nginx -c "$work/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
for _ in $(seq 1 50); do
    curl -fsS --cacert "$work/ca.pem" "https://127.0.0.1:$port/node/api/version/hash" >/dev/null 2>&1 && break
    sleep 0.1
done

# A logged-in profile with the file store, as `saymon login --store file` leaves it.
config=$work/config
mkdir -m 0700 "$config"
cat >"$config/config.toml" <<EOF
default_profile = "default"

[profiles.default]
server = "https://127.0.0.1:$port"
login = "admin"
user_id = "$user_id"
store = "file"
ca_cert = "$work/ca.pem"
EOF
printf '[accounts."admin@127.0.0.1:%s"]\ntoken = "%s"\n' "$port" "$token" >"$config/credentials.toml"
chmod 600 "$config/credentials.toml"
printf '%s\n' "$password" >"$work/password"
export SAYMON_CONFIG_DIR=$config
# The same profile with its token in the keyring (the private gnome-keyring).
kconfig=$work/kconfig
mkdir -m 0700 "$kconfig"
sed 's/store = "file"/store = "keyring"/' "$config/config.toml" >"$kconfig/config.toml"
printf '%s' "$token" | secret-tool store --label=bench service saymon username "admin@127.0.0.1:$port"

url=https://127.0.0.1:$port/node/api
whoami_saymon="$saymon whoami"
whoami_curl="curl -fsS --cacert $work/ca.pem $url/users/current?api-token=$token"
create_saymon="$saymon token create --password-stdin --login admin --user-id $user_id"
create_curl="curl -fsS --cacert $work/ca.pem -X POST -u admin:$password $url/users/$user_id/auth-token"
# Each side runs as `sh -c '... < password'`, so the shell's cost is on both sides.
hyperfine --warmup 5 --runs 50 -N --export-csv "$work/whoami.csv" \
    -n saymon "$whoami_saymon" -n curl "$whoami_curl" >/dev/null
hyperfine --warmup 5 --runs 50 -N --export-csv "$work/keyring.csv" \
    -n saymon "env SAYMON_CONFIG_DIR=$kconfig $whoami_saymon" >/dev/null
hyperfine --warmup 5 --runs 50 --export-csv "$work/create.csv" \
    -n saymon "$create_saymon <$work/password" -n curl "$create_curl <$work/password" >/dev/null
hyperfine --warmup 5 --runs 100 -N --export-csv "$work/version.csv" \
    -n saymon "$saymon --version" >/dev/null

# The proxy, under GNU time for its peak memory, on a socket of the work dir.
/usr/bin/time -f '%M' -o "$work/proxy-rss" "$saymon" -q proxy --socket "$work/p.sock" \
    >"$work/proxy-line" &
proxy_pid=$!
for _ in $(seq 1 50); do [ -S "$work/p.sock" ] && break; sleep 0.1; done
via_proxy="curl -fsS --unix-socket $work/p.sock http://localhost/node/api/users/current"
hyperfine --warmup 5 --runs 100 -N --export-csv "$work/proxy.csv" \
    -n proxy "$via_proxy" -n direct "$whoami_curl" >/dev/null
# 2000 requests, 32 at once, each side in one curl (-Z): requests per second.
rps() {
    local started ended
    started=$(date +%s.%N)
    curl -fsS -Z --parallel-max 32 -o /dev/null "$@" 2>/dev/null
    ended=$(date +%s.%N)
    awk -v s="$started" -v e="$ended" 'BEGIN { printf "%.0f", 2000 / (e - s) }'
}
r_p=$(rps --unix-socket "$work/p.sock" "http://localhost/node/api/users/current?n=[1-2000]")
r_d=$(rps --cacert "$work/ca.pem" "$url/users/current?api-token=$token&n=[1-2000]")
# The proxy stops on SIGTERM (GNU time's child: saymon itself).
pkill -TERM -P "$proxy_pid" || true
wait "$proxy_pid" || true
proxy_pid=
m_p=$(tail -n 1 "$work/proxy-rss")

# The median (in ms) of the row named $2 in hyperfine's CSV $1.
median() { awk -F, -v name="$2" '$1 == name { printf "%.2f", $4 * 1000 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# Peak resident memory (KiB) of a command run by sh (its own and its children's, as
# wait4 reports them), the highest of five runs.
peak() {
    local most=0 kib
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f '%M' -o "$work/rss" sh -c "$1" >/dev/null 2>&1
        kib=$(tail -n 1 "$work/rss")
        [ "$kib" -gt "$most" ] && most=$kib
    done
    echo "$most"
}

w_s=$(median "$work/whoami.csv" saymon); w_c=$(median "$work/whoami.csv" curl)
c_s=$(median "$work/create.csv" saymon); c_c=$(median "$work/create.csv" curl)
v_s=$(median "$work/version.csv" saymon)
k_s=$(median "$work/keyring.csv" saymon)
p_p=$(median "$work/proxy.csv" proxy); p_d=$(median "$work/proxy.csv" direct)
m_ws=$(peak "$whoami_saymon"); m_wc=$(peak "$whoami_curl")
m_cs=$(peak "$create_saymon <$work/password"); m_cc=$(peak "$create_curl <$work/password")

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)
cat >BENCHMARKS.md <<EOF
# saymon vs curl

Made by \`bash bench/run.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores, ${cpu:-unknown CPU},
Linux $(uname -r), $(curl --version | head -n 1 | cut -d' ' -f1-2), hyperfine $(hyperfine --version | cut -d' ' -f2).
nginx serves fixed SAYMON answers over HTTPS on 127.0.0.1 with a CA-signed certificate;
saymon is the release build ($(du -k "$saymon" | cut -f1) KiB), with a file-store profile.
Medians of 50 runs (100 for --version); peak memory is the highest of 5 runs (GNU time).

| what | saymon | curl | saymon / curl |
| --- | ---: | ---: | ---: |
| \`whoami\` vs \`curl …/users/current?api-token=…\` | $w_s ms | $w_c ms | $(ratio "$w_s" "$w_c") |
| \`whoami\`, token in gnome-keyring, vs the same curl | $k_s ms | $w_c ms | $(ratio "$k_s" "$w_c") |
| \`token create --password-stdin\` vs \`curl -X POST -u …/auth-token\` | $c_s ms | $c_c ms | $(ratio "$c_s" "$c_c") |
| \`saymon --version\` | $v_s ms | | |
| peak memory, whoami | $m_ws KiB | $m_wc KiB | $(ratio "$m_ws" "$m_wc") |
| peak memory, token create | $m_cs KiB | $m_cc KiB | $(ratio "$m_cs" "$m_cc") |

## saymon proxy

A request through \`saymon proxy\` (curl over its unix socket; the proxy holds one pooled TLS
connection set to nginx) against curl straight to nginx with the token (each run a fresh TLS
handshake). Medians of 100 runs; requests per second with 32 at once, 2000 requests, each side
one \`curl -Z\` (which keeps its connections: the direct side shakes hands 32 times, not 2000);
the proxy's peak memory over all of it (GNU time).

| what | through the proxy | straight to the server | proxy / straight |
| --- | ---: | ---: | ---: |
| one request (median) | $p_p ms | $p_d ms | $(ratio "$p_p" "$p_d") |
| requests per second, 32 at once | $r_p | $r_d | $(ratio "$r_p" "$r_d") |
| peak memory of the proxy | $m_p KiB | | |

Both token-create rows run under \`sh -c '… <password'\`, so the shell is on both sides
(and in both peak-memory rows: sh's own is small next to either client's).
Targets (issue 10): the file-store time ratios ≤ 0.5, \`--version\` ≤ 2 ms, peak memory ≤ curl's;
(issue 15) \`whoami\` with the keyring (the keyring crates' Secret Service store, which opens an
encrypted session each run) ≤ 1.5× curl's median.
EOF
cat BENCHMARKS.md
