#!/usr/bin/env bash
# slowdb.sh — slow queries against their neighbours (issue 12): does a request that waits on the
# database hold up requests that do not touch it, and does every slow request end at its deadline?
#
# Serves a small SQLite app with `manaknight serve` (limits.timeout = TIMEOUT) and, over real
# sockets with curl, for each slow route in ROUTES — /slow (a read: a recursive CTE that never
# ends) and /slowwrite (an UPDATE whose WHERE is that CTE: a write, which takes SQLite's one writer's turn):
#   1. SLOW requests to it at once, while /hello is asked every PROBE_MS for HOLD seconds; prints
#      /hello's p50, p99 and max, and when each slow request ended.
#   2. BURST requests to it at once (no probes); prints when each ended and its status.
# A slow request should end at TIMEOUT (500 `timeout`); /hello should stay in milliseconds.
#
# Knobs (environment): TIMEOUT(10s) SLOW(2) BURST(8) HOLD(8) PROBE_MS(50) PORT(18093) ROUTES("/slow /slowwrite")
#   MK_CONFIG_EXTRA (TOML lines appended under [db], e.g. 'pool = 4')
# Needs: curl, awk, a JDK 25 (the ./manaknight launcher builds the jar). Stops what it started, by PID.
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"   # log, die, stop_pid, wait_http, port_busy

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
TIMEOUT=${TIMEOUT:-10s}
SLOW=${SLOW:-2}
BURST=${BURST:-8}
HOLD=${HOLD:-8}
PROBE_MS=${PROBE_MS:-50}
PORT=${PORT:-18093}
ROUTES=${ROUTES:-"/slow /slowwrite"}
MK_CONFIG_EXTRA=${MK_CONFIG_EXTRA:-}
URL=http://127.0.0.1:$PORT

for c in curl awk; do command -v "$c" >/dev/null || die "missing '$c'"; done
if port_busy "$PORT"; then die "port $PORT on 127.0.0.1 is already in use"; fi

start_run slowdb never

mkdir -p "$RUN_DIR/app"
cat > "$RUN_DIR/app/app.mnk" <<'EOF'
db {
  endless(): Int = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
  endlessWrite(): Int = "UPDATE t SET id = id WHERE id = (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c)"
}

api GET /slow {
  uses { db }
  respond json(db.endless())
}

api GET /slowwrite {
  uses { db }
  respond json(db.endlessWrite())
}

api GET /hello {
  respond text("hello")
}
EOF
echo "CREATE TABLE t (id INTEGER PRIMARY KEY);" > "$RUN_DIR/app/schema.sql"
cat > "$RUN_DIR/app/manaknight.toml" <<EOF
[server]
listen = "127.0.0.1:$PORT"

[limits]
timeout = "$TIMEOUT"

[db]
url = "sqlite:app.db"
$MK_CONFIG_EXTRA

[log]
access = "off"
EOF

"$ROOT/manaknight" --version >/dev/null   # builds the jar first if it is stale, outside any timing
"$ROOT/manaknight" serve "$RUN_DIR/app" >"$RUN_DIR/serve.log" 2>&1 &
MK_PID=$!; STARTED+=("$MK_PID"); log "started manaknight pid=$MK_PID"
wait_http "$URL/hello"
for _ in $(seq 200); do curl -s -o /dev/null "$URL/hello"; done   # a little JIT warm-up for /hello

# slow_requests N TAG ROUTE: N requests to ROUTE in the background; each writes "seconds status" to RUN_DIR/TAG.N
slow_requests() {
  local i
  rm -f "$RUN_DIR/$2".*
  for (( i = 1; i <= $1; i++ )); do
    curl -s -o /dev/null --max-time 120 -w '%{time_total} %{http_code}\n' "$URL$3" > "$RUN_DIR/$2.$i" &
    SLOW_PIDS+=("$!")
  done
}

summary() { # summary FILE: p50, p99, max of the first column (seconds) in ms
  sort -n "$1" | awk '{ v[NR] = $1 * 1000 } END {
    if (NR == 0) { print "no samples"; exit }
    i50 = int(NR * 0.50); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
    printf "n=%d p50=%.1fms p99=%.1fms max=%.1fms\n", NR, v[i50], v[i99], v[NR] }'
}

for route in $ROUTES; do
  log "1. $SLOW slow requests to $route while /hello is probed every ${PROBE_MS} ms for ${HOLD} s (limits.timeout = $TIMEOUT)"
  SLOW_PIDS=()
  slow_requests "$SLOW" held "$route"
  sleep 0.3   # the slow queries are running
  : > "$RUN_DIR/hello"
  end=$(( $(date +%s%N) + HOLD * 1000000000 ))
  while [ "$(date +%s%N)" -lt "$end" ]; do
    curl -s -o /dev/null --max-time 60 -w '%{time_total}\n' "$URL/hello" >> "$RUN_DIR/hello"
    sleep "$(awk -v ms="$PROBE_MS" 'BEGIN { printf "%.3f", ms / 1000 }')"
  done
  echo "/hello while $SLOW requests to $route ran: $(summary "$RUN_DIR/hello")"
  wait "${SLOW_PIDS[@]}" 2>/dev/null || true
  echo "$route (seconds status): $(cat "$RUN_DIR"/held.* | sort -n | tr '\n' ' ')"

  log "2. $BURST slow requests to $route at once"
  SLOW_PIDS=()
  slow_requests "$BURST" burst "$route"
  wait "${SLOW_PIDS[@]}" 2>/dev/null || true
  echo "$route x$BURST (seconds status): $(cat "$RUN_DIR"/burst.* | sort -n | tr '\n' ' ')"
  echo "/hello after: $(curl -s -o /dev/null --max-time 60 -w '%{time_total}s %{http_code}' "$URL/hello")"
done
