#!/usr/bin/env bash
# Starts this folder's cluster on this machine, in the foreground: the ledger's migrations applied
# once (`manaknight migrate`), then three `serve` instances (127.0.0.1:8081-8083) behind HAProxy
# or nginx, or two `fpm` instances (9001, 9002) behind nginx, the balancer on 127.0.0.1:8080.
# Ctrl-C stops everything, each instance draining. A rolling restart, from another terminal:
#   examples/cluster/start.sh restart        (each instance in turn: TERM, wait, start again)
#
# Usage: examples/cluster/start.sh [haproxy | nginx | nginx-fpm | restart]
# PostgreSQL: the url of cluster.toml, or MANAKNIGHT_PG_URL (`.ci/postgres.sh` starts one).
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd "$here/../.." && pwd)
mode=${1:-haproxy}
state=${MANAKNIGHT_CLUSTER_DIR:-/tmp/manaknight-cluster}

say() { echo "cluster: $*"; }

# The instance configs as shipped, with absolute paths and MANAKNIGHT_PG_URL if set.
configure() {
    local src=$1 dst=$2
    sed -e "s|\"\\.\\./ledger|\"$root/examples/ledger|" "$src" >"$dst"
    if [[ -n ${MANAKNIGHT_PG_URL:-} ]]; then
        local url=${MANAKNIGHT_PG_URL//\\/\\\\}
        url=${url//&/\\&}
        sed -i -e "s|^url = .*|url = \"${url//|/\\|}\"|" "$dst"
    fi
}

# Waits until `url` answers 200 (a `serve` instance is ready), at most 60 s.
await_ready() {
    local url=$1
    for _ in $(seq 600); do
        curl -fs -o /dev/null "$url" && return 0
        sleep 0.1
    done
    say "$url did not become ready; see $state/*.log" >&2
    return 1
}

# Waits until something listens on 127.0.0.1:`port`, at most 60 s.
await_port() {
    for _ in $(seq 600); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    say "nothing listens on port $1; see $state/*.log" >&2
    return 1
}

start_serve() {
    local i=$1
    "$root/manaknight" serve --config "$state/serve.toml" --port "808$i" >>"$state/serve-$i.log" 2>&1 &
    echo $! >"$state/serve-$i.pid"
    await_ready "http://127.0.0.1:808$i/-/ready"
}

start_fpm() {
    local i=$1
    sed -e "s|^listen = .*|listen = \"127.0.0.1:900$i\"|" "$state/fpm.toml" >"$state/fpm-$i.toml"
    "$root/manaknight" fpm --config "$state/fpm-$i.toml" >>"$state/fpm-$i.log" 2>&1 &
    echo $! >"$state/fpm-$i.pid"
    await_port "900$i"
}

# HAProxy's view of server `name` (a, b, c): its status column in `show stat` (UP, DOWN, MAINT,
# "DOWN 1/2" while rising, ...), through the stats socket start.sh gives it.
haproxy_status() {
    python3 - "$state/haproxy.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(2)
s.connect(sys.argv[1])
s.sendall(b"show stat\n")
out = b""
while chunk := s.recv(65536):
    out += chunk
lines = out.decode().splitlines()
head = lines[0].lstrip("# ").split(",")
for line in lines[1:]:
    row = dict(zip(head, line.split(",")))
    if row.get("pxname") == "manaknight" and row.get("svname") == sys.argv[2]:
        print(row["status"])
PY
}

# Waits until HAProxy marks server `name` UP again (its checks passed), at most 60 s.
await_haproxy_up() {
    for _ in $(seq 600); do
        [[ $(haproxy_status "$1" 2>/dev/null) == UP ]] && return 0
        sleep 0.1
    done
    say "HAProxy did not mark $1 up again; see $state/balancer.log" >&2
    return 1
}

# Each instance in turn: TERM (it drains), wait for its exit, start it again, wait until ready,
# then until the balancer sees it too before the next one stops (else two are out at once):
# HAProxy is asked through its stats socket; nginx has no such interface, so a fixed wait
# (fail_timeout=2s after its last failed connect, plus a margin).
settle=${MANAKNIGHT_CLUSTER_SETTLE:-3}
restart() {
    local kind=serve n=3
    [[ -f $state/fpm-1.pid ]] && kind=fpm n=2
    for i in $(seq "$n"); do
        local pid
        pid=$(cat "$state/$kind-$i.pid")
        say "restarting $kind $i (pid $pid)"
        kill -TERM "$pid"
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        "start_$kind" "$i"
        if [[ $(cat "$state/balancer.kind" 2>/dev/null) == haproxy ]]; then
            local names=(- a b c) # haproxy.cfg's server names
            await_haproxy_up "${names[$i]}"
        else
            sleep "$settle"
        fi
    done
    say "every instance restarted"
}

if [[ $mode == restart ]]; then
    restart
    exit 0
fi

rm -rf "$state"
mkdir -p "$state"
echo "$mode" >"$state/balancer.kind"
# Every instance (also those a `restart` started) and the balancer: TERM, then wait until each has exited.
stop() {
    trap - EXIT INT TERM
    say "stopping"
    local pids=() f p
    for f in "$state"/*.pid; do [[ -f $f ]] && pids+=("$(cat "$f")"); done
    ((${#pids[@]})) && kill -TERM "${pids[@]}" 2>/dev/null || true
    for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
}
trap stop EXIT INT TERM

configure "$here/cluster.toml" "$state/serve.toml"
configure "$here/fpm.toml" "$state/fpm.toml"
say "applying the migrations once"
"$root/manaknight" migrate "$root/examples/ledger" --config "$state/serve.toml"

case $mode in
    haproxy | nginx) for i in 1 2 3; do start_serve "$i"; done ;;
    nginx-fpm) for i in 1 2; do start_fpm "$i"; done ;;
    *) echo "usage: $0 [haproxy | nginx | nginx-fpm | restart]" >&2; exit 64 ;;
esac

case $mode in
    haproxy)
        # The stats socket `restart` asks, in a file of its own: haproxy.cfg stays the one to copy.
        printf 'global\n    stats socket %s mode 600 level user\n' "$state/haproxy.sock" >"$state/haproxy-stats.cfg"
        haproxy -db -f "$here/haproxy.cfg" -f "$state/haproxy-stats.cfg" >>"$state/balancer.log" 2>&1 &
        echo $! >"$state/balancer.pid" ;;
    nginx | nginx-fpm)
        mkdir -p "$state/nginx/tmp"
        cp /etc/nginx/fastcgi_params "$state/nginx/"
        conf=$here/nginx-serve.conf
        [[ $mode == nginx-fpm ]] && conf=$here/nginx-fpm.conf
        user=""
        ((EUID == 0)) && user="user root root;"
        cat >"$state/nginx/nginx.conf" <<CONF
$user
worker_processes 1;
pid $state/nginx/nginx.pid;
daemon off;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $state/nginx/tmp/body;
    fastcgi_temp_path $state/nginx/tmp/fastcgi;
    proxy_temp_path $state/nginx/tmp/proxy;
    uwsgi_temp_path $state/nginx/tmp/uwsgi;
    scgi_temp_path $state/nginx/tmp/scgi;
    include $conf;
}
CONF
        nginx -p "$state/nginx/" -c "$state/nginx/nginx.conf" -e "$state/balancer.log" >>"$state/balancer.log" 2>&1 &
        echo $! >"$state/balancer.pid" ;;
esac
await_port 8080
say "up: http://127.0.0.1:8080 ($mode); logs and pids in $state; Ctrl-C stops it all"
wait
