#!/usr/bin/env bash
# journal.sh — what the request journal costs: `serve` with the journal off, on, and in audit mode,
# side by side, on GET /users/{random 1..10000} (bench/app, a 10,000-row SQLite table) and on the
# ledger's POST /transfers (examples/ledger, transfers of 1–100 cents between ACCOUNTS accounts).
#
# Variants, one server each (and one database each), measured interleaved: each round runs every
# endpoint on every variant in turn, so they share the machine's noise:
#   off     no [journal]
#   on      [journal] path: records written off the request path by the buffered writer
#   audit   the same with durable = true: a reply waits for its record's fsync, and a transaction
#           that wrote commits only once its record is on disk, its outcome fsynced after
# Each server gets PREWARM seconds of load per endpoint first (the JIT); before each timed run it
# waits (bounded) for a quiet machine. Every round is printed; the summary gives the median req/s
# and p99 per variant and endpoint, and the median of the per-round ratios to `off` (the issue's
# goal: on >= 0.90, audit >= 0.70). After the rounds it checks the ledger's money and that each
# journal verifies, and reports the records written, dropped and bytes per variant (/-/metrics).
#
# Knobs (environment): ENDPOINTS("users transfer") VARIANTS("off on audit") ACCOUNTS(1000) CONNS(32)
#   THREADS(2) DURATION(10) PREWARM(20) RUNS(5) QUIET_WAIT(60) JOURNAL_DIR (where the journals go;
#   default: under OUT, i.e. the disk the repository is on) OUT(bench/results/journal-<stamp>)
#   B_ROOT (another checkout: a variant with `-b`, e.g. audit-b, runs its build, for a before/after)
#   DB(sqlite) the transfers' database: sqlite (a file per variant) or postgres (a schema per variant
#   in PG_URL's database; PG_URL defaults to .ci/postgres.sh's, which starts one). /users stays on SQLite.
# Needs: wrk, sqlite3, curl, a JDK 25 (the ./manaknight launcher builds the jar); psql for DB=postgres.
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"   # log, die, stop_pid, wait_quiet, parse_wrk, …

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
ENDPOINTS=${ENDPOINTS:-"users transfer"}
VARIANTS=${VARIANTS:-"off on audit"}
ACCOUNTS=${ACCOUNTS:-1000}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10}
PREWARM=${PREWARM:-20}
RUNS=${RUNS:-5}
QUIET_WAIT=${QUIET_WAIT:-60}
OUT=${OUT:-$BENCH/results/journal-$(date +%Y%m%d-%H%M%S)}
JOURNAL_DIR=${JOURNAL_DIR:-$OUT/journals}
BASE_PORT=18200
B_ROOT=${B_ROOT:-}   # a checkout of another build: variants named `<variant>-b` (off-b, on-b, audit-b) run it
DB=${DB:-sqlite}
PG_URL=${PG_URL:-$PG_URL_DEFAULT}

for c in wrk sqlite3 curl awk; do command -v "$c" >/dev/null || die "missing '$c' (apt-get install -y wrk sqlite3 curl)"; done
case $DB in
  sqlite) ;;
  postgres) pg_ready "$PG_URL" ;;
  *) die "DB is sqlite or postgres, not $DB" ;;
esac
schema_of() { echo "jbench_${1//-/_}"; }   # schema_of VARIANT: a transfer variant's schema on PostgreSQL
run_cleanup_extra() { # the PostgreSQL variants' schemas
  local v
  [ "$DB" = postgres ] || return 0
  for v in $VARIANTS; do pg_schema_drop "$PG_URL" "$(schema_of "$v")"; done
}

start_run journal-bench always
mkdir -p "$OUT/raw" "$JOURNAL_DIR"
# Absolute: the servers' configs live in RUN_DIR, where a relative journal path would resolve
# (and be deleted with it, unverified).
OUT=$(cd "$OUT" && pwd); JOURNAL_DIR=$(cd "$JOURNAL_DIR" && pwd)

"$ROOT/manaknight" --version >/dev/null   # builds the jar first if it is stale, outside any timing
if [ -n "$B_ROOT" ]; then "$B_ROOT/manaknight" --version >/dev/null; fi
bin_of() { case $1 in *-b) [ -n "$B_ROOT" ] || die "variant $1 needs B_ROOT"; echo "$B_ROOT/manaknight" ;; *) echo "$ROOT/manaknight" ;; esac; }

app_of() { case $1 in users) echo "$BENCH/app" ;; transfer) echo "$ROOT/examples/ledger" ;; *) die "unknown endpoint $1" ;; esac; }
path_of() { case $1 in users) echo "/users/1" ;; transfer) echo "/transfers" ;; esac; }

declare -A PORT PID
i=0
for ep in $ENDPOINTS; do
  for v in $VARIANTS; do
    k=$ep-$v
    PORT[$k]=$(( BASE_PORT + i )); i=$(( i + 1 ))
    port_busy "${PORT[$k]}" && die "port ${PORT[$k]} is in use"
    case $ep in
      users)
        sqlite3 "$RUN_DIR/$k.db" "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE);
          WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 10000)
          INSERT INTO users (id, name, email) SELECT g, 'user' || g, 'user' || g || '@example.com' FROM s"
        db="url = \"sqlite:$RUN_DIR/$k.db\"" ;;
      transfer)
        if [ "$DB" = postgres ]; then
          pg_schema_new "$PG_URL" "$(schema_of "$v")"
          db="url = \"$PG_URL&currentSchema=$(schema_of "$v")\""
        else
          db="url = \"sqlite:$RUN_DIR/$k.db\""
        fi
        db="$db
migrations = \"$ROOT/examples/ledger/migrations\"" ;;
    esac
    case ${v%-b} in
      off) journal='' ;;
      on) journal="[journal]
path = \"$JOURNAL_DIR/$k\"" ;;
      audit) journal="[journal]
path = \"$JOURNAL_DIR/$k\"
durable = true" ;;
      *) die "unknown variant $v" ;;
    esac
    cat > "$RUN_DIR/$k.toml" <<EOT
[server]
listen = "127.0.0.1:${PORT[$k]}"

[db]
$db

[log]
access = "off"

$journal
EOT
    "$(bin_of "$v")" serve "$(app_of "$ep")" --config "$RUN_DIR/$k.toml" >"$RUN_DIR/$k.log" 2>&1 &
    PID[$k]=$!; STARTED+=("${PID[$k]}"); log "started $k pid=${PID[$k]} port ${PORT[$k]}"
    wait_http "http://127.0.0.1:${PORT[$k]}/-/healthy"
    if [ "$ep" = transfer ] && [ "$DB" = postgres ]; then ledger_seed "$ACCOUNTS" postgres "$PG_URL" "$(schema_of "$v")"
    elif [ "$ep" = transfer ]; then ledger_seed "$ACCOUNTS" sqlite "$RUN_DIR/$k.db"
    fi
  done
done

total_of() { # total_of transfer-VARIANT: the sum of all balances, read from the database itself
  if [ "$DB" = postgres ]; then ledger_total postgres "$PG_URL" "$(schema_of "${1#transfer-}")"
  else ledger_total sqlite "$RUN_DIR/$1.db"; fi
}
declare -A TOTAL
if [[ " $ENDPOINTS " == *" transfer "* ]]; then for v in $VARIANTS; do TOTAL[$v]=$(total_of "transfer-$v"); done; fi

cat > "$RUN_DIR/users.lua" <<'EOT'
local counter = 0
function setup(thread) counter = counter + 1; thread:set("seed", counter) end
function init(args) math.randomseed(os.time() * 1000 + seed) end
request = function() return wrk.format("GET", "/users/" .. math.random(1, 10000)) end
EOT
transfer_lua "$ACCOUNTS" > "$RUN_DIR/transfer.lua"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -r)  cpus: $(nproc)  load before: $(cat /proc/loadavg)"
  echo "manaknight: $(git -C "$ROOT" rev-parse --short HEAD)"
  echo "journals on: $(df -PT "$JOURNAL_DIR" | awk 'NR == 2 { print $1 " (" $2 ")" }')"
  echo "transfers on: $DB$([ "$DB" = postgres ] && echo " $(psql "$PG_URL" -qAtc 'show server_version'), synchronous_commit $(psql "$PG_URL" -qAtc 'show synchronous_commit')")"
  echo "load: wrk -t$THREADS -c$CONNS, pre-warm ${PREWARM}s per server, $RUNS x ${DURATION}s, interleaved: $ENDPOINTS x $VARIANTS"
} > "$OUT/env.txt"
cat "$OUT/env.txt" >&2

load() { # load ENDPOINT KEY SECONDS OUTFILE [--latency]
  wrk -t"$THREADS" -c"$CONNS" -d"$3s" ${5:-} -s "$RUN_DIR/$1.lua" "http://127.0.0.1:${PORT[$2]}$(path_of "$1")" >"$4" 2>&1
}

for ep in $ENDPOINTS; do
  for v in $VARIANTS; do log "pre-warming $ep-$v for ${PREWARM}s"; load "$ep" "$ep-$v" "$PREWARM" "$OUT/raw/prewarm_$ep-$v.txt"; done
done

RUNS_TSV="$OUT/runs.tsv"
printf 'endpoint\tvariant\trun\treq_per_s\tp50_ms\tp99_ms\trequests\tnon2xx\tsocket_errors\n' > "$RUNS_TSV"
for (( r = 1; r <= RUNS; r++ )); do
  for ep in $ENDPOINTS; do
    for v in $VARIANTS; do
      wait_quiet
      f="$OUT/raw/$ep-${v}_run$r.txt"
      load "$ep" "$ep-$v" "$DURATION" "$f" --latency
      read -r rps p50 p99 req non serr <<< "$(parse_wrk "$f")"
      log "  $ep $v run $r: $rps req/s p50=${p50}ms p99=${p99}ms non2xx=$non sockerr=$serr"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ep" "$v" "$r" "$rps" "$p50" "$p99" "$req" "$non" "$serr" >> "$RUNS_TSV"
    done
  done
done

# The journal counters, read before the servers stop (a stop ends each instance's journal).
for ep in $ENDPOINTS; do
  for v in $VARIANTS; do
    curl -s "http://127.0.0.1:${PORT[$ep-$v]}/-/metrics" | awk -v k="$ep-$v" '/^manaknight_journal_(records|dropped|bytes)_total / {
      sub(/^manaknight_journal_/, "", $1); sub(/_total$/, "", $1); printf "%s %s=%s\n", k, $1, $2 }' >> "$OUT/journal-counters.txt"
  done
done
for k in "${!PID[@]}"; do stop_pid "${PID[$k]}"; done

{
  echo "## runs (every round)"
  column -t -s $'\t' "$RUNS_TSV"
  echo
  echo "## medians, and the median of per-round ratios to the first variant ($(echo $VARIANTS | cut -d' ' -f1))"
  awk -F'\t' -v first="$(echo $VARIANTS | cut -d' ' -f1)" '
    NR == 1 { next }
    { k = $1 SUBSEP $2; rps[k, $3] = $4; p99[k, $3] = $6; non[k] += $8
      if (!(k in seen)) { seen[k] = 1; order[++n] = k }; runs = ($3 > runs ? $3 : runs) }
    function median(a, m,   i, j, t) { for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
    END {
      printf "%-10s %-8s %12s %10s %14s %8s\n", "endpoint", "variant", "req/s", "p99 ms", "ratio/first", "non2xx"
      for (i = 1; i <= n; i++) { split(order[i], kv, SUBSEP); delete x; delete y; delete z
        for (r = 1; r <= runs; r++) { x[r] = rps[order[i], r]; y[r] = p99[order[i], r]; z[r] = rps[order[i], r] / rps[kv[1], first, r] }
        printf "%-10s %-8s %12.0f %10.2f %14.3f %8d\n", kv[1], kv[2], median(x, runs), median(y, runs), median(z, runs), non[order[i]] }
    }' "$RUNS_TSV"
  echo
  echo "## journal counters at the end (records, dropped, bytes; from /-/metrics)"
  sort "$OUT/journal-counters.txt" 2>/dev/null || true
  echo
  echo "## journal verify"
  for ep in $ENDPOINTS; do
    for v in $VARIANTS; do
      [ -d "$JOURNAL_DIR/$ep-$v" ] || continue
      printf '%-16s %s\n' "$ep-$v" "$("$ROOT/manaknight" journal verify "$JOURNAL_DIR/$ep-$v" 2>&1 | tr '\n' ' ')"
    done
  done
  if [[ " $ENDPOINTS " == *" transfer "* ]]; then
    echo
    echo "## money: the sum of balances before and after (must be equal)"
    for v in $VARIANTS; do
      after=$(total_of "transfer-$v")
      printf '%-10s before %s after %s %s\n' "$v" "${TOTAL[$v]}" "$after" "$([ "${TOTAL[$v]}" = "$after" ] && echo ok || echo 'MISMATCH')"
    done
  fi
} | tee "$OUT/summary.txt"
grep -q MISMATCH "$OUT/summary.txt" && die "money appeared or vanished: see $OUT/summary.txt"
log "results in $OUT"
