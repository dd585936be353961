#!/usr/bin/env bash
# http.sh — Manaknight `serve` against the Node.js peer (bench/peers/node), side by side.
#
# The peers' method (bench/peers/README.md): same endpoints (/hello, /users/{random 1..10000}
# via bench/peers/wrk/users.lua), same 10,000-row SQLite table (bench/peers/make-db.sh), wrk -t2,
# -c64 and -c256, a warm-up then RUNS timed runs of DURATION s, median of each metric. Runs of
# the two servers are interleaved (node, manaknight, node, …) so both see the same machine noise.
# Before each timed run it waits (bounded) for a quiet machine and redoes a run when other
# processes used more than OTHER_MAX % of a CPU meanwhile.
#
# Starts both servers on 127.0.0.1, checks that their answers match, loads them, prints a table
# (req/s, p50, p99, errors, Manaknight/Node ratios), and stops everything it started, by PID.
#
# One deviation from the peers' method: before any row, each server gets PREWARM seconds of load
# (half per endpoint, -c64), because a JVM's JIT needs tens of seconds of traffic where Node's
# needs a few: measured cold, the same Manaknight build gave half its warm req/s.
#
# Knobs (environment): CONNS("64 256") ENDPOINTS("hello users") THREADS(2) DURATION(10) WARMUP(3)
#   PREWARM(60) RUNS(3) OTHER_MAX(15) RETRIES(2) QUIET_WAIT(60) OUT(bench/results/http-<stamp>)
#   PEERS_DIR(bench/peers) MK_JAVA_OPTS (extra JVM flags for serve, e.g. a JFR recording)
#   B_JAVA_OPTS (the same for mk-b; MK_JAVA_OPTS when unset: B_ROOT=. with other flags is a flags A/B)
#   MK_CONFIG_EXTRA (TOML lines appended to the generated serve config, e.g. 'workers = 2' under [server])
#   B_ROOT (another checkout, built: its `manaknight` runs as a third server, `mk-b`, interleaved
#   with the other two, for a before/after of Manaknight itself; the table adds mk/mk-b ratios)
#   LOADGEN(wrk) the timed runs' load: wrk, or clientload (bench's ClientLoad, built with the bench
#   profile): the same closed loop, but each request timed from when its client wanted it,
#   connecting included, and every client counted, those never answered too; wrk times from the
#   write, so clients kept waiting to connect are in its socket errors, not its latencies (RESULTS §20)
# Needs: wrk, node 20 + npm, sqlite3, curl, a JDK 25 (the ./manaknight launcher builds the jar);
# bench/peers/setup.sh installs the Node peer (this script does too, when its copy is missing or stale).
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"   # log, die, stop_pid, wait_quiet, parse_wrk, …

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"

CONNS=${CONNS:-"64 256"}
ENDPOINTS=${ENDPOINTS:-"hello users"}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
PREWARM=${PREWARM:-60}         # once per server, before the first row: JIT warm-up (see above)
RUNS=${RUNS:-3}
OTHER_MAX=${OTHER_MAX:-15}     # a timed run during which other processes used > this % of a CPU is redone …
RETRIES=${RETRIES:-2}          # … at most this many times (the last try is kept and flagged)
QUIET_WAIT=${QUIET_WAIT:-60}   # before each timed run, wait at most this many seconds for an idle machine
OUT=${OUT:-$BENCH/results/http-$(date +%Y%m%d-%H%M%S)}
MK_JAVA_OPTS=${MK_JAVA_OPTS:-}
B_JAVA_OPTS=${B_JAVA_OPTS-$MK_JAVA_OPTS}
MK_CONFIG_EXTRA=${MK_CONFIG_EXTRA:-}
PORT_NODE=18090
PORT_MK=18091
PORT_B=18092
B_ROOT=${B_ROOT:-}
LOADGEN=${LOADGEN:-wrk}
SERVERS="node manaknight"
[ -n "$B_ROOT" ] && SERVERS="node manaknight mk-b"

find_peers node/server.js || die "no Node peer in $PEERS_DIR"
for c in wrk node npm sqlite3 curl awk ps; do
  command -v "$c" >/dev/null || die "missing '$c' (bench/peers/setup.sh --apt; Node.js 20 with npm)"
done
case $LOADGEN in
  wrk) ;;
  clientload)
    CLIENTLOAD_JAR="$BENCH/target/benchmarks.jar"
    CLIENTLOAD_JDK=$(. "$ROOT/bin/toolchain.sh" && manaknight_find_jdk && echo "$JAVA_HOME") || die "no JDK 25 for ClientLoad"
    log "building bench's ClientLoad (mvn -Pbench -pl bench -am package)"
    mkdir -p "$BENCH/target"
    (cd "$ROOT" && JAVA_HOME=$CLIENTLOAD_JDK mvn -B -Pbench -pl bench -am -DskipTests package > "$BENCH/target/clientload-build.log" 2>&1) \
      || die "building bench/target/benchmarks.jar failed (bench/target/clientload-build.log)" ;;
  *) die "LOADGEN is wrk or clientload, not $LOADGEN" ;;
esac
for p in $PORT_NODE $PORT_MK $PORT_B; do
  if port_busy "$p"; then die "port $p on 127.0.0.1 is already in use"; fi
done

# ---------------------------------------------------------------- processes we start, stopped by PID
start_run http-bench failure


# ---------------------------------------------------------------- prepare
mkdir -p "$OUT/raw"
NODE_DIR="$BENCH/target/node-peer"   # a copy of the peer: its node_modules stay out of the repository
"$PEERS_DIR/setup.sh" --node "$NODE_DIR" || die "the Node peer could not be installed into $NODE_DIR"
log "building the users database (the peers' make-db.sh, 10000 rows), one copy per server"
"$PEERS_DIR/make-db.sh" "$RUN_DIR/users-node.db" 10000
"$PEERS_DIR/make-db.sh" "$RUN_DIR/users-mk.db" 10000
"$ROOT/manaknight" --version >/dev/null   # builds the jar first if it is stale, outside any timing
if [ -n "$B_ROOT" ]; then
  "$PEERS_DIR/make-db.sh" "$RUN_DIR/users-b.db" 10000
  "$B_ROOT/manaknight" --version >/dev/null
fi

cat > "$RUN_DIR/serve.toml" <<EOF
[server]
listen = "127.0.0.1:$PORT_MK"
$MK_CONFIG_EXTRA

[db]
url = "sqlite:$RUN_DIR/users-mk.db"

[log]
access = "off"
EOF

if [ -n "$B_ROOT" ]; then
  sed -e "s/$PORT_MK/$PORT_B/" -e "s|users-mk.db|users-b.db|" "$RUN_DIR/serve.toml" > "$RUN_DIR/serve-b.toml"
fi

# ---------------------------------------------------------------- start the servers
USERS_DB="$RUN_DIR/users-node.db" PORT=$PORT_NODE HOST=127.0.0.1 node "$NODE_DIR/server.js" >"$RUN_DIR/node.log" 2>&1 &
NODE_PID=$!; STARTED+=("$NODE_PID"); log "started node pid=$NODE_PID"
# The launcher execs java, so this PID is the JVM's.
MANAKNIGHT_JAVA_OPTS="$MK_JAVA_OPTS" "$ROOT/manaknight" serve "$BENCH/app" --config "$RUN_DIR/serve.toml" >"$RUN_DIR/manaknight.log" 2>&1 &
MK_PID=$!; STARTED+=("$MK_PID"); log "started manaknight pid=$MK_PID"
if [ -n "$B_ROOT" ]; then
  MANAKNIGHT_JAVA_OPTS="$B_JAVA_OPTS" "$B_ROOT/manaknight" serve "$BENCH/app" --config "$RUN_DIR/serve-b.toml" >"$RUN_DIR/mk-b.log" 2>&1 &
  B_PID=$!; STARTED+=("$B_PID"); log "started mk-b ($B_ROOT) pid=$B_PID"
  wait_http "http://127.0.0.1:$PORT_B/hello"
fi
wait_http "http://127.0.0.1:$PORT_NODE/hello"
wait_http "http://127.0.0.1:$PORT_MK/hello"

# ---------------------------------------------------------------- functional checks: same answers
check_same() { # check_same PATH STATUS
  local path=$1 want=$2 n m ns ms
  n=$(curl -s --max-time 5 "http://127.0.0.1:$PORT_NODE$path"); ns=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT_NODE$path")
  m=$(curl -s --max-time 5 "http://127.0.0.1:$PORT_MK$path"); ms=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT_MK$path")
  printf '%s node=%s %s | manaknight=%s %s\n' "$path" "$ns" "$n" "$ms" "$m" >> "$OUT/checks.txt"
  [ "$ns" = "$want" ] && [ "$ms" = "$want" ] || die "$path: status node=$ns manaknight=$ms, wanted $want"
  if [ "$want" = 200 ] && [ "$n" != "$m" ]; then die "$path: bodies differ: node=$n manaknight=$m"; fi
}
: > "$OUT/checks.txt"
check_same /hello 200
check_same /users/42 200
check_same /users/10000 200
check_same /users/10001 404
check_same /users/abc 400
{ echo "-- response headers, node:"; curl -s -D - -o /dev/null "http://127.0.0.1:$PORT_NODE/users/42" | tr -d '\r'
  echo "-- response headers, manaknight:"; curl -s -D - -o /dev/null "http://127.0.0.1:$PORT_MK/users/42" | tr -d '\r'; } >> "$OUT/checks.txt"

# ---------------------------------------------------------------- measurement
rss_kb() { ps -o rss= -p "$1" | tr -d ' '; }



url_of() { # url_of SERVER ENDPOINT
  local port=$PORT_NODE
  [ "$1" = manaknight ] && port=$PORT_MK
  [ "$1" = mk-b ] && port=$PORT_B
  if [ "$2" = users ]; then echo "http://127.0.0.1:$port/users/1"; else echo "http://127.0.0.1:$port/hello"; fi
}

pid_of() { case "$1" in manaknight) echo "$MK_PID" ;; mk-b) echo "$B_PID" ;; *) echo "$NODE_PID" ;; esac; }

RUNS_TSV="$OUT/runs.tsv"
printf 'server\tendpoint\tconns\trun\treq_per_s\tp50_ms\tp99_ms\trequests\tnon2xx\tsocket_errors\tserver_cpu_pct\twrk_cpu_pct\tother_cpu_pct\ttries\tpeak_rss_kb\n' > "$RUNS_TSV"

timed_run() { # timed_run SERVER ENDPOINT CONNS RUN
  local server=$1 ep=$2 c=$3 r=$4 pid url f try t0 t1 s0 s1 real usr sys rps p50 p99 req non serr srv wrkc other
  local script=()
  [ "$ep" = users ] && script=(-s "$PEERS_DIR/wrk/users.lua")
  pid=$(pid_of "$server"); url=$(url_of "$server" "$ep")
  local load=(wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --latency "${script[@]}" "$url")
  if [ "$LOADGEN" = clientload ]; then # a URL ending in /users/ gets a random id per request
    [ "$ep" = users ] && url=${url%1}
    load=("$CLIENTLOAD_JDK/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$CLIENTLOAD_JAR"
      dev.manaknight.bench.ClientLoad "$url" "$c" "$DURATION" "$THREADS")
  fi
  for (( try = 1; try <= RETRIES + 1; try++ )); do
    wait_quiet
    f="$OUT/raw/${server}_${ep}_c${c}_run$r.txt"
    t0=$(cpu_ticks "$pid"); s0=$(sys_busy_ticks)
    TIMEFORMAT='%R %U %S'
    ( while kill -0 "$pid" 2>/dev/null; do rss_kb "$pid"; sleep 0.5; done ) > "$f.rss" 2>/dev/null &
    local sampler=$!
    { time "${load[@]}" > "$f" 2>&1; } 2> "$f.time"
    s1=$(sys_busy_ticks); t1=$(cpu_ticks "$pid")
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    read -r real usr sys < "$f.time"
    read -r rps p50 p99 req non serr <<< "$(parse_wrk "$f")"
    srv=$(awk -v d=$(( t1 - t0 )) -v hz="$CLK_TCK" -v t="$real" 'BEGIN { printf "%.0f", 100 * d / hz / t }')
    wrkc=$(awk -v u="$usr" -v s="$sys" -v t="$real" 'BEGIN { printf "%.0f", 100 * (u + s) / t }')
    other=$(awk -v d=$(( s1 - s0 )) -v hz="$CLK_TCK" -v t="$real" -v a="$srv" -v b="$wrkc" \
      'BEGIN { o = 100 * d / hz / t - a - b; printf "%.0f", (o < 0 ? 0 : o) }')
    log "  $server $ep c$c run $r/$try: ${rps} req/s p50=${p50}ms p99=${p99}ms non2xx=${non} sockerr=${serr} cpu: server=${srv}% wrk=${wrkc}% other=${other}%"
    if (( other <= OTHER_MAX )); then break; fi
    if (( try <= RETRIES )); then log "  other processes used ${other}% CPU during the run; redoing it"; fi
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$ep" "$c" "$r" "$rps" "$p50" "$p99" "$req" \
    "$non" "$serr" "$srv" "$wrkc" "$other" "$(( try > RETRIES + 1 ? RETRIES + 1 : try ))" \
    "$(sort -n "$f.rss" 2>/dev/null | tail -n 1)" >> "$RUNS_TSV"
}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -r)  cpus: $(nproc)  mem: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "load before: $(cat /proc/loadavg)"
  echo "manaknight: $("$ROOT/manaknight" --version 2>/dev/null | head -n 1) on $(. "$ROOT/bin/toolchain.sh" && manaknight_find_jdk && "$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
  echo "node: $(node -v)  better-sqlite3: $(node -p "require('$NODE_DIR/node_modules/better-sqlite3/package.json').version")"
  echo "wrk: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-3)"
  echo "load: $LOADGEN -t$THREADS, conns {$CONNS}, pre-warm ${PREWARM}s per server, warm-up ${WARMUP}s per server and row, $RUNS x ${DURATION}s timed, node and manaknight interleaved"
  echo "manaknight serve config:"; sed 's/^/  /' "$RUN_DIR/serve.toml"
  echo "MK_JAVA_OPTS: ${MK_JAVA_OPTS:-(none)}"
} > "$OUT/env.txt"

RSS_IDLE_NODE=$(rss_kb "$NODE_PID"); RSS_IDLE_MK=$(rss_kb "$MK_PID"); RSS_IDLE_B=""
[ -n "$B_ROOT" ] && RSS_IDLE_B=$(rss_kb "$B_PID")
log "results -> $OUT"
for server in $SERVERS; do
  log "pre-warm $server: ${PREWARM}s of -c64 load, half per endpoint"
  wrk -t"$THREADS" -c64 -d"$(( (PREWARM + 1) / 2 ))s" "$(url_of "$server" hello)" > "$OUT/raw/${server}_prewarm_hello.txt" 2>&1
  wrk -t"$THREADS" -c64 -d"$(( (PREWARM + 1) / 2 ))s" -s "$PEERS_DIR/wrk/users.lua" "$(url_of "$server" users)" \
    > "$OUT/raw/${server}_prewarm_users.txt" 2>&1
done
for ep in $ENDPOINTS; do
  for c in $CONNS; do
    script=()
    [ "$ep" = users ] && script=(-s "$PEERS_DIR/wrk/users.lua")
    for server in $SERVERS; do
      log "warm-up $server $ep c$c (${WARMUP}s)"
      wrk -t"$THREADS" -c"$c" -d"${WARMUP}s" "${script[@]}" "$(url_of "$server" "$ep")" > "$OUT/raw/${server}_${ep}_c${c}_warmup.txt" 2>&1
    done
    for r in $(seq "$RUNS"); do
      for server in $SERVERS; do timed_run "$server" "$ep" "$c" "$r"; done
    done
  done
done
echo "load after: $(cat /proc/loadavg)" >> "$OUT/env.txt"
printf 'server\tidle_rss_kb\tafter_load_rss_kb\nnode\t%s\t%s\nmanaknight\t%s\t%s\n' \
  "$RSS_IDLE_NODE" "$(rss_kb "$NODE_PID")" "$RSS_IDLE_MK" "$(rss_kb "$MK_PID")" > "$OUT/memory.tsv"
[ -n "$B_ROOT" ] && printf 'mk-b\t%s\t%s\n' "$RSS_IDLE_B" "$(rss_kb "$B_PID")" >> "$OUT/memory.tsv"

# ---------------------------------------------------------------- table: medians, side by side
awk -F'\t' -v OFS='\t' '
  function med(k, col,   i, j, t, m) {
    m = n[k]; for (i = 1; i <= m; i++) tmp[i] = v[k, i, col] + 0
    for (i = 2; i <= m; i++) { t = tmp[i]; for (j = i - 1; j >= 1 && tmp[j] > t; j--) tmp[j + 1] = tmp[j]; tmp[j + 1] = t }
    return (m % 2) ? tmp[(m + 1) / 2] : (tmp[m / 2] + tmp[m / 2 + 1]) / 2
  }
  NR == 1 { next }
  { k = $1 SUBSEP $2 SUBSEP $3; i = ++n[k]
    for (c = 5; c <= 13; c++) v[k, i, c] = $c
    err[k] += $9 + $10; if ($13 + 0 > omax[k]) omax[k] = $13 + 0
    if (!(($2, $3) in seen)) { seen[$2, $3] = 1; order[++no] = $2 SUBSEP $3 } }
  END {
    print "endpoint", "conns", "node req/s", "mk req/s", "ratio req/s", "node p50", "mk p50", "node p99", "mk p99", "ratio p99", "node err", "mk err", "node cpu%", "mk cpu%", "wrk cpu% (n/m)", "other% max"
    for (o = 1; o <= no; o++) {
      split(order[o], e, SUBSEP); kn = "node" SUBSEP order[o]; km = "manaknight" SUBSEP order[o]
      nr = med(kn, 5); mr = med(km, 5); n99 = med(kn, 7); m99 = med(km, 7)
      printf "%s\t%s\t%.0f\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%d\t%.0f\t%.0f\t%.0f/%.0f\t%d\n", e[1], e[2], nr, mr, (nr > 0 ? mr / nr : 0),
        med(kn, 6), med(km, 6), n99, m99, (n99 > 0 ? m99 / n99 : 0), err[kn], err[km], med(kn, 11), med(km, 11),
        med(kn, 12), med(km, 12), (omax[kn] > omax[km] ? omax[kn] : omax[km])
    }
  }' "$RUNS_TSV" > "$OUT/summary.tsv"

# Per round: the ratios of that round's runs (they ran back to back), and the median of those ratios.
awk -F'\t' -v OFS='\t' '
  function med(a, m,   i, j, t) {
    for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
  }
  NR == 1 { next }
  { rps[$1, $2, $3, $4] = $5; p99[$1, $2, $3, $4] = $7; if (!(($2, $3) in seen)) { seen[$2, $3] = 1; order[++no] = $2 SUBSEP $3 }
    if ($4 + 0 > runs) runs = $4 + 0; if ($1 == "mk-b") hasb = 1 }
  END {
    print "endpoint", "conns", "run", "mk/node req/s", "mk/node p99", (hasb ? "mk/mk-b req/s" : ""), (hasb ? "mk/mk-b p99" : "")
    for (o = 1; o <= no; o++) {
      split(order[o], e, SUBSEP); n = 0
      for (r = 1; r <= runs; r++) {
        k = e[1] SUBSEP e[2] SUBSEP r; n++
        a[n] = rps["manaknight", k] / rps["node", k]; b[n] = p99["manaknight", k] / p99["node", k]
        if (hasb) { c[n] = rps["manaknight", k] / rps["mk-b", k]; d[n] = p99["manaknight", k] / p99["mk-b", k] }
        printf "%s\t%s\t%d\t%.2f\t%.2f\t%s\t%s\n", e[1], e[2], r, a[n], b[n], (hasb ? sprintf("%.2f", c[n]) : ""), (hasb ? sprintf("%.2f", d[n]) : "")
      }
      printf "%s\t%s\tmedian\t%.2f\t%.2f\t%s\t%s\n", e[1], e[2], med(a, n), med(b, n), (hasb ? sprintf("%.2f", med(c, n)) : ""), (hasb ? sprintf("%.2f", med(d, n)) : "")
    }
  }' "$RUNS_TSV" > "$OUT/ratios.tsv"

{
  echo "== Manaknight serve vs Node.js peer: median of $RUNS x ${DURATION}s $LOADGEN -t$THREADS runs each, interleaved, after a ${PREWARM}s pre-warm and a ${WARMUP}s warm-up per row."
  echo "   ratio req/s = manaknight / node (target >= 1.5); ratio p99 = manaknight / node (target <= 1). Latencies in ms."
  echo "   wrk and the servers share the same $(nproc) CPUs; cpu% are of one CPU (max $(( $(nproc) * 100 ))%); err = non-2xx + socket errors over all runs."
  column -t -s $'\t' "$OUT/summary.tsv"
  echo
  echo "== peak RSS during the timed runs (kB)"
  awk -F'\t' 'NR > 1 && $15 + 0 > m[$1] { m[$1] = $15 + 0 } END { for (k in m) printf "%s\t%d\n", k, m[k] }' "$RUNS_TSV" | sort
  echo
  echo "== per-round ratios (each round's runs back to back) and their median"
  column -t -s $'\t' "$OUT/ratios.tsv"
  echo
  column -t -s $'\t' "$OUT/memory.tsv"
  if [ "$LOADGEN" = clientload ]; then
    echo
    echo "== ClientLoad: requests in flight at the end (counted in the percentiles at their age), clients never answered"
    for f in "$OUT"/raw/*_run*.txt; do printf '%s\t%s\n' "$(basename "$f" .txt)" "$(grep 'In flight' "$f" | sed 's/^ *//')"; done
  fi
  echo
  grep '^load' "$OUT/env.txt"
} | tee "$OUT/table.txt"
log "done; files in $OUT"
