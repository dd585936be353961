# Shell helpers shared by the bench/*.sh scripts (sourced, not run):
# logging, stopping what a script started, waiting for a socket or a quiet machine, CPU ticks of
# processes, reading wrk's output, the peers' nginx.conf head. The callers set
# QUIET_WAIT before they use wait_quiet, and ROOT (the repository) before find_peers.

CLK_TCK=$(getconf CLK_TCK)

find_peers() { # find_peers MARKER: checks that PEERS_DIR (the peer servers' folder, given by the caller) holds MARKER
  if [ -z "${PEERS_DIR:-}" ]; then
    log "PEERS_DIR is not set: point it at the folder of the peer servers (Node, PHP-FPM) to compare with"
    return 1
  fi
  [ -f "$PEERS_DIR/$1" ]
}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

die() { log "ERROR: $*"; exit 1; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_pid() { # stop_pid PID [SIGNAL=TERM]: signal, wait up to 10 s, then KILL
  local pid=$1 sig=${2:-TERM} i p keep=()
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$sig" "$pid" 2>/dev/null || true
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  wait "$pid" 2>/dev/null || true
  for p in "${STARTED[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  STARTED=("${keep[@]}")
  log "stopped pid=$pid"
}

wait_http() { local i; for i in $(seq 300); do curl -s -o /dev/null --max-time 1 "$1" && return 0; sleep 0.1; done; die "no answer from $1"; }

cpu_ticks() { # cpu_ticks PID...: utime+stime of the given processes (all their threads), summed, in clock ticks
  local pid t=0 v
  for pid in "$@"; do
    v=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}') || v=0
    t=$(( t + ${v:-0} ))
  done
  echo "$t"
}

wait_sock() { local i; for i in $(seq 600); do [ -S "$1" ] && return 0; sleep 0.1; done; die "socket $1 never appeared"; }

sys_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

wait_quiet() { # at most QUIET_WAIT s until the whole machine is below 10 % busy
  local i a b
  for (( i = 0; i < QUIET_WAIT; i++ )); do
    a=$(sys_busy_ticks); sleep 1; b=$(sys_busy_ticks)
    if (( (b - a) * 100 < 10 * CLK_TCK * $(nproc) )); then return 0; fi
    if (( i % 10 == 0 )); then log "  waiting for a quiet machine (busy: $(( (b - a) * 100 / CLK_TCK ))% CPU)"; fi
  done
  log "  machine still busy after ${QUIET_WAIT}s; measuring anyway (see other_cpu%)"
}

parse_wrk() { # -> "req_per_s p50_ms p99_ms requests non2xx socket_errors"
  awk '
    function ms(v,   n, u) { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") return n / 1000; if (u == "ms") return n; if (u == "s") return n * 1000
      if (u == "m") return n * 60000; return n }
    /^Requests\/sec:/            { rps = $2 }
    /^ +50%/                     { p50 = ms($2) }
    /^ +99%/                     { p99 = ms($2) }
    / requests in /              { req = $1 }
    /Non-2xx or 3xx responses:/  { non = $NF }
    /Socket errors:/             { gsub(/,/, ""); serr = $4 + $6 + $8 + $10 }
    END { printf "%s %.3f %.3f %s %d %d\n", rps, p50, p99, req, non + 0, serr + 0 }' "$1"
}

transfer_lua() { # transfer_lua ACCOUNTS > FILE: a wrk script of the ledger's transfers of 1–100 cents between two
  # random distinct accounts among ids 4 … ACCOUNTS+3 (bench/ledger.sh and bench/journal.sh seed them so)
  local ACCOUNTS=$1
  cat <<EOF
local n = $ACCOUNTS
local counter = 0
function setup(thread) counter = counter + 1; thread:set("seed", counter) end
function init(args) math.randomseed(os.time() * 1000 + seed) end
request = function()
  local a = math.random(4, n + 3)
  local b = math.random(4, n + 2)
  if b >= a then b = b + 1 end
  return wrk.format("POST", "/transfers", { ["Content-Type"] = "application/json" },
    string.format('{"fromId":%d,"toId":%d,"amountCents":%d,"memo":null}', a, b, math.random(1, 100)))
end
EOF
}

nginx_head() { # nginx_head DIR: the peers' nginx.conf settings (1 worker, no access log, temp paths in DIR), up to inside `http {`
  cat <<EOF
worker_processes  1;
user              www-data www-data;
pid               $1/nginx.pid;
error_log         $1/nginx-error.log warn;
daemon            off;

events {
    worker_connections  4096;
}

http {
    access_log          off;
    server_tokens       off;
    sendfile            on;
    tcp_nodelay         on;
    keepalive_timeout   65s;
    keepalive_requests  1000000;
    default_type        application/octet-stream;

    client_body_temp_path  $1/nginx-tmp/body;
    fastcgi_temp_path      $1/nginx-tmp/fastcgi;
    proxy_temp_path        $1/nginx-tmp/proxy;
    uwsgi_temp_path        $1/nginx-tmp/uwsgi;
    scgi_temp_path         $1/nginx-tmp/scgi;
EOF
}
