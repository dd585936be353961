# Shell helpers shared by the benchmark scripts and bench/peers/check.sh (sourced, not run):
# where the peer servers are, logging, stopping what a script started, waiting for a socket or a
# quiet machine, CPU ticks of processes, reading wrk's output, the nginx configuration's head and
# the PHP-FPM peer's files. The callers set QUIET_WAIT before they use wait_quiet.

# The peer servers (Node.js, PHP-FPM, nginx's configs, make-db.sh, the wrk script): bench/peers,
# unless the caller names another folder of the same layout.
PEERS_DIR=${PEERS_DIR:-$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)/peers}

CLK_TCK=$(getconf CLK_TCK)

find_peers() { # find_peers FILE: checks that PEERS_DIR holds FILE
  [ -f "$PEERS_DIR/$1" ] || { log "PEERS_DIR=$PEERS_DIR has no $1"; return 1; }
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

start_run() { # start_run NAME LOGS: a run folder and its clean-up, for a script that starts servers
  # Sets RUN_DIR (/tmp/mk-NAME.XXXXXX, readable by nginx's and php-fpm's www-data workers) and an
  # empty STARTED, to which the caller adds each PID it starts. On exit, even a failed or
  # interrupted one: every started process is stopped, newest first (nginx before its backends,
  # whose kept connections it pins); the caller's run_cleanup_extra runs if it defines one; the
  # folder's *.log files are copied to OUT when LOGS is "always", or "failure" and the exit failed;
  # the folder is removed; the exit status is kept.
  STARTED=()
  RUN_DIR=$(mktemp -d "/tmp/mk-$1.XXXXXX")
  chmod 755 "$RUN_DIR"
  RUN_LOGS=$2
  trap run_cleanup EXIT
  trap 'exit 130' INT TERM
}

run_cleanup() {
  local rc=$? i pids=("${STARTED[@]}")
  # A child signalled before it has exec'd its program is still this shell and runs the trap too.
  [ "$BASHPID" = "$$" ] || exit "$rc"
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do stop_pid "${pids[i]}"; done
  if declare -F run_cleanup_extra >/dev/null; then run_cleanup_extra || true; fi
  if [ -d "${OUT:-}" ] && { [ "$RUN_LOGS" = always ] || { [ "$RUN_LOGS" = failure ] && [ "$rc" -ne 0 ]; }; }; then
    cp "$RUN_DIR"/*.log "$OUT/" 2>/dev/null || true
  fi
  rm -rf "$RUN_DIR"
  exit "$rc"
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

# ---- the ledger's database (ledger.sh, journal.sh): a SQLite file, or a schema of PG_URL's database
PG_URL_DEFAULT="postgresql://127.0.0.1:5432/manaknight?user=manaknight&password=manaknight"   # .ci/postgres.sh's

pg_ready() { # pg_ready URL: dies unless psql is there and the database answers
  command -v psql >/dev/null || die "missing psql (apt-get install -y postgresql-client)"
  psql "$1" -qAtc 'select 1' >/dev/null || die "no PostgreSQL at $1 (.ci/postgres.sh starts one)"
}

pg_schema_new() { psql "$1" -qc "DROP SCHEMA IF EXISTS $2 CASCADE; CREATE SCHEMA $2"; }   # pg_schema_new URL SCHEMA: empty

pg_schema_drop() { psql "$1" -qc "DROP SCHEMA IF EXISTS $2 CASCADE" 2>/dev/null || true; }   # pg_schema_drop URL SCHEMA

pg_in() { echo "$1&options=-csearch_path%3D$2"; }   # pg_in URL SCHEMA: a psql URL whose tables are SCHEMA's

ledger_seed() { # ledger_seed ACCOUNTS sqlite FILE | ledger_seed ACCOUNTS postgres URL SCHEMA: the bench's accounts
  # (ids 4 … ACCOUNTS+3 after the ledger's three, as transfer_lua picks them), 1,000,000 cents each
  case $2 in
    sqlite) sqlite3 -cmd ".timeout 5000" "$3" "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < $1)
      INSERT INTO accounts (owner, balance_cents, frozen) SELECT 'bench ' || g, 1000000, 0 FROM s" ;;
    postgres) psql "$(pg_in "$3" "$4")" -qc "INSERT INTO accounts (owner, balance_cents, frozen)
      SELECT 'bench ' || g, 1000000, false FROM generate_series(1, $1) g" ;;
  esac
}

ledger_total() { # ledger_total sqlite FILE | ledger_total postgres URL SCHEMA: the sum of all balances, from the database
  case $1 in
    sqlite) sqlite3 -cmd ".timeout 5000" "$2" "SELECT sum(balance_cents) FROM accounts" ;;
    postgres) psql "$(pg_in "$2" "$3")" -qAtc "SELECT sum(balance_cents) FROM accounts" ;;
  esac
}

nginx_head() { # nginx_head DIR: bench/peers/conf/nginx-head.conf.in for a run in DIR, up to inside `http {`
  sed "s|@RUN@|$1|g" "$PEERS_DIR/conf/nginx-head.conf.in"
}

php_peer_files() { # php_peer_files DIR CHILDREN: the PHP-FPM peer's script, php-fpm.conf and fastcgi_params in DIR
  # Copied, not pointed at: php-fpm's and nginx's workers (www-data) may not reach the repository.
  mkdir -p "$1/php" "$1/static"
  cp "$PEERS_DIR/php/index.php" "$1/php/"
  cp "$PEERS_DIR/static/hello.json" "$1/static/"
  cp "$PEERS_DIR/conf/fastcgi_params" "$1/"
  sed -e "s|@RUN@|$1|g" -e "s|@MAXCHILD@|$2|g" "$PEERS_DIR/conf/php-fpm.conf.in" > "$1/php-fpm.conf"
  chmod -R a+rX "$1/php" "$1/static"
}

php_peer_server() { # php_peer_server PORT DIR: nginx's server block for the PHP-FPM peer of DIR, keep_conn off
  cat <<EOF
    server {   # php, keep_conn off
        listen  127.0.0.1:$1;
        location / {
            include        $2/fastcgi_params;
            fastcgi_param  SCRIPT_FILENAME  $2/php/index.php;
            fastcgi_param  SCRIPT_NAME      /index.php;
            fastcgi_pass   unix:$2/php.sock;
        }
    }
EOF
}

static_peer_server() { # static_peer_server PORT DIR: nginx's server block serving DIR/static/hello.json for /hello
  cat <<EOF
    server {   # static
        listen  127.0.0.1:$1;
        location = /hello {
            default_type  application/json;
            alias         $2/static/hello.json;
        }
        location / {
            return 404;
        }
    }
EOF
}
