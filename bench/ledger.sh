#!/usr/bin/env bash
# ledger.sh — what the database contract costs: the ledger's POST /transfers under concurrent load.
#
# Variants, measured interleaved (each round runs every variant once, in turn) so they share the
# machine's noise; each has its own server and its own database:
#   sqlite    this checkout's examples/ledger on SQLite (the rollback rule, one writer at a time, retries)
#   sqlite-b  B_ROOT's build with B_ROOT's own examples/ledger on SQLite: the code before the
#             database contract, for a before/after (only when B_ROOT is set)
#   pg-ser    this checkout on PostgreSQL at db.isolation = "serializable" (the default)
#   pg-rc     the same at "read_committed"
# Every database gets ACCOUNTS more accounts of 1,000,000 cents (ids 4 …). The load is wrk -t2
# -cCONNS, each request a transfer of 1–100 cents between two random distinct ones: with few
# accounts, transfers contend for the same rows (serialization failures, retries); with many, rarely.
# After the rounds it checks that no money appeared or vanished in any database, and counts the
# answers by status (non-2xx: 409 insufficient funds should not happen at these amounts; 503 is a
# conflict that outlived db.retries).
#
# Knobs (environment): VARIANTS("sqlite pg-ser pg-rc", plus sqlite-b when B_ROOT is set)
#   ACCOUNTS(1000) CONNS(32) THREADS(2) DURATION(10) PREWARM(30) RUNS(5) QUIET_WAIT(60)
#   PG_URL (postgresql://127.0.0.1:5432/manaknight?user=manaknight&password=manaknight; .ci/postgres.sh
#   starts one) B_ROOT (another checkout, built) OUT(bench/results/ledger-<stamp>)
# Needs: wrk, sqlite3, psql, curl, a JDK 25 (the ./manaknight launcher builds the jar).
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"   # log, die, stop_pid, wait_quiet, parse_wrk, …

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
B_ROOT=${B_ROOT:-}
VARIANTS=${VARIANTS:-"sqlite${B_ROOT:+ sqlite-b} pg-ser pg-rc"}
ACCOUNTS=${ACCOUNTS:-1000}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10}
PREWARM=${PREWARM:-30}
RUNS=${RUNS:-5}
QUIET_WAIT=${QUIET_WAIT:-60}
PG_URL=${PG_URL:-$PG_URL_DEFAULT}
OUT=${OUT:-$BENCH/results/ledger-$(date +%Y%m%d-%H%M%S)}
BASE_PORT=18100

for c in wrk sqlite3 curl awk; do command -v "$c" >/dev/null || die "missing '$c' (apt-get install -y wrk sqlite3 curl)"; done
case " $VARIANTS " in *" pg-"*) pg_ready "$PG_URL" ;; esac
[[ " $VARIANTS " == *" sqlite-b "* ]] && [ -z "$B_ROOT" ] && die "variant sqlite-b needs B_ROOT"

run_cleanup_extra() { # the PostgreSQL variants' schemas
  local v
  for v in $VARIANTS; do if [[ $v == pg-* ]]; then pg_schema_drop "$PG_URL" "bench_${v//-/_}"; fi; done
}
start_run ledger-bench always
mkdir -p "$OUT/raw"

"$ROOT/manaknight" --version >/dev/null   # builds the jar first if it is stale, outside any timing
[ -n "$B_ROOT" ] && "$B_ROOT/manaknight" --version >/dev/null

declare -A PORT PID
i=0
for v in $VARIANTS; do
  PORT[$v]=$(( BASE_PORT + i )); i=$(( i + 1 ))
  port_busy "${PORT[$v]}" && die "port ${PORT[$v]} is in use"
  root=$ROOT
  case $v in
    sqlite)   url="sqlite:$RUN_DIR/$v.db"; extra="migrations = \"$ROOT/examples/ledger/migrations\"" ;;
    sqlite-b) url="sqlite:$RUN_DIR/$v.db"; extra=''; root=$B_ROOT ;;
    pg-ser|pg-rc)
      schema=bench_${v//-/_}
      pg_schema_new "$PG_URL" "$schema"
      url="$PG_URL&currentSchema=$schema"
      iso=serializable; [ "$v" = pg-rc ] && iso=read_committed
      extra="migrations = \"$ROOT/examples/ledger/migrations\"
isolation = \"$iso\"" ;;
    *) die "unknown variant $v" ;;
  esac
  cat > "$RUN_DIR/$v.toml" <<EOF
[server]
listen = "127.0.0.1:${PORT[$v]}"

[db]
url = "$url"
$extra

[log]
access = "off"
EOF
  "$root/manaknight" serve "$root/examples/ledger" --config "$RUN_DIR/$v.toml" >"$RUN_DIR/$v.log" 2>&1 &
  PID[$v]=$!; STARTED+=("${PID[$v]}"); log "started $v ($root) pid=${PID[$v]} port ${PORT[$v]}"
  wait_http "http://127.0.0.1:${PORT[$v]}/accounts/1"
  case $v in
    sqlite*) ledger_seed "$ACCOUNTS" sqlite "$RUN_DIR/$v.db" ;;
    *) ledger_seed "$ACCOUNTS" postgres "$PG_URL" "$schema" ;;
  esac
done

total_of() { # total_of VARIANT: the sum of all balances, read from the database itself
  case $1 in
    sqlite*) ledger_total sqlite "$RUN_DIR/$1.db" ;;
    *) ledger_total postgres "$PG_URL" "bench_${1//-/_}" ;;
  esac
}
declare -A TOTAL
for v in $VARIANTS; do TOTAL[$v]=$(total_of "$v"); done

transfer_lua "$ACCOUNTS" > "$RUN_DIR/transfer.lua"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -r)  cpus: $(nproc)  load before: $(cat /proc/loadavg)"
  echo "manaknight: $(git -C "$ROOT" rev-parse --short HEAD)${B_ROOT:+  sqlite-b: $(git -C "$B_ROOT" rev-parse --short HEAD)}"
  echo "postgresql: $(psql "$PG_URL" -qAtc 'show server_version' 2>/dev/null || echo none)"
  echo "load: wrk -t$THREADS -c$CONNS POST /transfers among $ACCOUNTS accounts, pre-warm ${PREWARM}s each, $RUNS x ${DURATION}s, interleaved: $VARIANTS"
} > "$OUT/env.txt"
cat "$OUT/env.txt" >&2

for v in $VARIANTS; do
  log "pre-warming $v for ${PREWARM}s"
  wrk -t"$THREADS" -c"$CONNS" -d"${PREWARM}s" -s "$RUN_DIR/transfer.lua" "http://127.0.0.1:${PORT[$v]}/transfers" >"$OUT/raw/prewarm_$v.txt" 2>&1
done

RUNS_TSV="$OUT/runs.tsv"
printf 'variant\trun\treq_per_s\tp50_ms\tp99_ms\trequests\tnon2xx\tsocket_errors\n' > "$RUNS_TSV"
for (( r = 1; r <= RUNS; r++ )); do
  for v in $VARIANTS; do
    wait_quiet
    f="$OUT/raw/${v}_run$r.txt"
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$RUN_DIR/transfer.lua" "http://127.0.0.1:${PORT[$v]}/transfers" >"$f" 2>&1
    read -r rps p50 p99 req non serr <<< "$(parse_wrk "$f")"
    log "  $v run $r: $rps req/s p50=${p50}ms p99=${p99}ms non2xx=$non sockerr=$serr"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$r" "$rps" "$p50" "$p99" "$req" "$non" "$serr" >> "$RUNS_TSV"
  done
done

{
  echo "## runs (every round)"
  column -t -s $'\t' "$RUNS_TSV"
  echo
  echo "## medians, and the median of per-round ratios against the first variant ($(echo $VARIANTS | cut -d' ' -f1))"
  awk -F'\t' -v first="$(echo $VARIANTS | cut -d' ' -f1)" '
    NR == 1 { next }
    { rps[$1, $2] = $3; p99[$1, $2] = $5; non[$1] += $7; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } ; runs = ($2 > runs ? $2 : runs) }
    function median(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
    END {
      printf "%-10s %12s %10s %14s %8s\n", "variant", "req/s", "p99 ms", "ratio/first", "non2xx"
      for (i = 1; i <= n; i++) { v = order[i]; delete x; delete y; delete z
        for (r = 1; r <= runs; r++) { x[r] = rps[v, r]; y[r] = p99[v, r]; z[r] = rps[v, r] / rps[first, r] }
        printf "%-10s %12.0f %10.2f %14.3f %8d\n", v, median(x, runs), median(y, runs), median(z, runs), non[v] }
    }' "$RUNS_TSV"
  echo
  echo "## money: the sum of balances before and after (must be equal)"
  for v in $VARIANTS; do
    after=$(total_of "$v")
    printf '%-10s before %s after %s %s\n' "$v" "${TOTAL[$v]}" "$after" "$([ "${TOTAL[$v]}" = "$after" ] && echo ok || echo 'MISMATCH')"
  done
  echo
  echo "## answers other than 201 in the servers' own logs (5xx are logged)"
  for v in $VARIANTS; do printf '%-10s %s error lines\n' "$v" "$(grep -c ' ERROR ' "$RUN_DIR/$v.log" || true)"; done
} | tee "$OUT/summary.txt"
grep -q MISMATCH "$OUT/summary.txt" && die "money appeared or vanished: see $OUT/summary.txt"
log "results in $OUT"
