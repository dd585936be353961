#!/usr/bin/env bash
# fpm.sh — Manaknight-FPM against the PHP-FPM 8.2 peer (bench/peers/php), behind the same nginx.
#
# One private nginx (worker_processes 1, daemon off, 127.0.0.1 only) with five server blocks:
#   mk-off    -> `manaknight fpm` on a unix socket, fastcgi_keep_conn off (a connection per request)
#   mk-keep   -> the same socket, fastcgi_keep_conn on + upstream keepalive MK_KEEPALIVE
#   php-off   -> php-fpm 8.2 (bench/peers/conf/php-fpm.conf.in, pm=static, CHILDREN children), keep_conn off
#   php-keep  -> the same php-fpm, fastcgi_keep_conn on + upstream keepalive PHP_KEEPALIVE
#   static    -> nginx serving bench/peers/static/hello.json for /hello (the ceiling of nginx itself)
#   floor     -> bench/floor/fcgi-floor.c, the cheapest FastCGI responder (C, one epoll loop, a fixed
#                /hello answer), keep_conn off: what nginx allows a backend with a connection per
#                request. Built with cc when there is one (FLOOR=0 leaves it out); /hello only.
# Manaknight serves bench/app with `workers = CHILDREN`, `[log] access = "off"`; both backends read
# their own copy of the same 10,000-row SQLite table (bench/peers/make-db.sh).
#
# The peers' method (bench/peers/README.md): wrk -t2, /hello and /users/{random} (their
# wrk/users.lua), a warm-up per row, RUNS timed runs of DURATION s, median of each metric, a wait
# for a quiet machine before each run and a redo when other processes used > OTHER_MAX % of a CPU.
# As in http.sh, the servers' runs are interleaved (mk-off, php-off, static, mk-off, …) so all see
# the same noise, and Manaknight first gets PREWARM s of load for the JVM's JIT. All keep_conn off
# rows run before the keep_conn on rows (php-fpm children stay pinned to nginx's cached
# connections afterwards); static /hello runs in both phases and its median is over both.
# RSS is sampled in the middle of every timed run (JVM; php-fpm master + children summed; nginx);
# the table shows the largest sample. Prints a table with Manaknight/PHP-FPM and Manaknight/static
# ratios and stops everything it started, by PID.
# The keepalive pools follow each backend's own rule. PHP-FPM's (bench/peers/README.md): keep
# pm.max_children idle connections, because a child serves one connection until nginx closes it
# and more cached connections than children starve. Manaknight's (examples/nginx/
# manaknight-fpm-keepalive.conf): as many as nginx has requests in flight, because its event loop
# serves every connection; a pool smaller than that makes nginx close and reopen a connection for
# most requests. RESULTS.md §8 measures both backends under both rules.
#
# Knobs (environment): CONNS("64 256") ENDPOINTS("hello users") THREADS(2) DURATION(10) WARMUP(3)
#   PREWARM(30) RUNS(3) CHILDREN(8) MK_KEEPALIVE(256) PHP_KEEPALIVE(CHILDREN) OTHER_MAX(15) RETRIES(2) QUIET_WAIT(60)
#   OUT(bench/results/fpm-<stamp>) PEERS_DIR(bench/peers) FPM(php-fpm8.2) MK_JAVA_OPTS MK_HEAP(128m)
#   FLOOR(auto: 1 when cc exists)
# Needs: nginx php8.2-fpm php8.2-sqlite3 wrk sqlite3 curl (bench/peers/setup.sh --apt installs them), a
# JDK 25 (./manaknight builds the jar); gcc for the floor row.
# Runs as root (nginx and php-fpm workers run as www-data).
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"   # log, die, stop_pid, wait_quiet, parse_wrk, …

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"

CONNS=${CONNS:-"64 256"}
ENDPOINTS=${ENDPOINTS:-"hello users"}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
PREWARM=${PREWARM:-30}         # Manaknight only, once, before the first row: JIT warm-up (see http.sh)
RUNS=${RUNS:-3}
CHILDREN=${CHILDREN:-8}        # php-fpm pm.max_children and Manaknight's `workers`, the issue's peer
MK_KEEPALIVE=${MK_KEEPALIVE:-256}          # idle upstream connections nginx keeps for Manaknight (mk-keep) …
PHP_KEEPALIVE=${PHP_KEEPALIVE:-$CHILDREN}  # … and for PHP-FPM (php-keep); see the header
OTHER_MAX=${OTHER_MAX:-15}     # a timed run during which other processes used > this % of a CPU is redone …
RETRIES=${RETRIES:-2}          # … at most this many times (the last try is kept and flagged)
QUIET_WAIT=${QUIET_WAIT:-60}   # before each timed run, wait at most this many seconds for an idle machine
FPM=${FPM:-php-fpm8.2}
OUT=${OUT:-$BENCH/results/fpm-$(date +%Y%m%d-%H%M%S)}
MK_JAVA_OPTS=${MK_JAVA_OPTS:-}
MK_HEAP=${MK_HEAP:-128m}      # as examples/nginx/manaknight-fpm.service runs it
FLOOR=${FLOOR:-auto}
if [ "$FLOOR" = auto ]; then if command -v cc >/dev/null; then FLOOR=1; else FLOOR=0; fi; fi
PORT_MK_OFF=18181
PORT_MK_KEEP=18182
PORT_PHP_OFF=18183
PORT_PHP_KEEP=18184
PORT_STATIC=18185
PORT_FLOOR=18186

find_peers php/index.php || die "no PHP-FPM peer in $PEERS_DIR"
for c in nginx "$FPM" wrk sqlite3 curl awk ps; do
  command -v "$c" >/dev/null || die "missing '$c' (bench/peers/setup.sh --apt installs it)"
done
php -m 2>/dev/null | grep -qx sqlite3 || die "php8.2-sqlite3 is not installed"
for p in $PORT_MK_OFF $PORT_MK_KEEP $PORT_PHP_OFF $PORT_PHP_KEEP $PORT_STATIC $PORT_FLOOR; do
  if port_busy "$p"; then die "port $p on 127.0.0.1 is already in use"; fi
done

# ---------------------------------------------------------------- processes we start, stopped by PID
start_run fpm-bench failure


# ---------------------------------------------------------------- prepare
mkdir -p "$OUT/raw"
log "building the users database (the peers' make-db.sh, 10000 rows), one copy per backend"
"$PEERS_DIR/make-db.sh" "$RUN_DIR/users.db" 10000        # php-fpm.conf.in's env[USERS_DB] names this one
"$PEERS_DIR/make-db.sh" "$RUN_DIR/users-mk.db" 10000
"$ROOT/manaknight" --version >/dev/null   # builds the jar first if it is stale, outside any timing
if [ "$FLOOR" = 1 ]; then
  cc -O2 -o "$RUN_DIR/fcgi-floor" "$BENCH/floor/fcgi-floor.c" || die "cc could not build bench/floor/fcgi-floor.c (FLOOR=0 skips it)"
fi

cat > "$RUN_DIR/fpm.toml" <<EOF
app = "$BENCH/app"

[server]
listen = "unix:$RUN_DIR/mk.sock"
workers = $CHILDREN
socket_mode = "0666"

[db]
url = "sqlite:$RUN_DIR/users-mk.db"

[log]
access = "off"
EOF

php_peer_files "$RUN_DIR" "$CHILDREN"   # index.php, hello.json, php-fpm.conf, fastcgi_params, in the run directory
mkdir -p "$RUN_DIR/nginx-tmp"
{ echo "# Rendered by bench/fpm.sh: bench/peers/conf/nginx-head.conf.in and the servers below."
  nginx_head "$RUN_DIR"
  cat <<EOF

    upstream mk_keepalive {
        server     unix:$RUN_DIR/mk.sock;
        keepalive  $MK_KEEPALIVE;
    }
    upstream php_keepalive {
        server     unix:$RUN_DIR/php.sock;
        keepalive  $PHP_KEEPALIVE;
    }

    server {   # mk-off
        listen  127.0.0.1:$PORT_MK_OFF;
        location / {
            include        $RUN_DIR/fastcgi_params;
            fastcgi_pass   unix:$RUN_DIR/mk.sock;
        }
    }
    server {   # mk-keep
        listen  127.0.0.1:$PORT_MK_KEEP;
        location / {
            include            $RUN_DIR/fastcgi_params;
            fastcgi_keep_conn  on;
            fastcgi_pass       mk_keepalive;
        }
    }
    server {   # php-keep
        listen  127.0.0.1:$PORT_PHP_KEEP;
        location / {
            include            $RUN_DIR/fastcgi_params;
            fastcgi_param      SCRIPT_FILENAME  $RUN_DIR/php/index.php;
            fastcgi_param      SCRIPT_NAME      /index.php;
            fastcgi_keep_conn  on;
            fastcgi_pass       php_keepalive;
        }
    }
    server {   # floor
        listen  127.0.0.1:$PORT_FLOOR;
        location / {
            include        $RUN_DIR/fastcgi_params;
            fastcgi_pass   unix:$RUN_DIR/floor.sock;
        }
    }
EOF
  php_peer_server "$PORT_PHP_OFF" "$RUN_DIR"      # php-off
  static_peer_server "$PORT_STATIC" "$RUN_DIR"    # static
  echo "}"
} > "$RUN_DIR/nginx.conf"
nginx -t -q -p "$RUN_DIR/" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" || die "nginx -t failed"

# ---------------------------------------------------------------- start the backends, then nginx
# The launcher execs java, so this PID is the JVM's. SR_SIGNUM: HotSpot must not use SIGUSR2 (fcgi.md).
_JAVA_SR_SIGNUM=39 MANAKNIGHT_HEAP="$MK_HEAP" MANAKNIGHT_JAVA_OPTS="$MK_JAVA_OPTS" "$ROOT/manaknight" fpm --config "$RUN_DIR/fpm.toml" >"$RUN_DIR/manaknight.log" 2>&1 &
MK_PID=$!; STARTED+=("$MK_PID"); log "started manaknight fpm pid=$MK_PID"
"$FPM" -F -y "$RUN_DIR/php-fpm.conf" -d opcache.enable=1 >"$RUN_DIR/php-fpm.stdout.log" 2>&1 &
PHP_PID=$!; STARTED+=("$PHP_PID"); log "started php-fpm pid=$PHP_PID"
FLOOR_PID=""
if [ "$FLOOR" = 1 ]; then
  "$RUN_DIR/fcgi-floor" "$RUN_DIR/floor.sock" >"$RUN_DIR/floor.log" 2>&1 &
  FLOOR_PID=$!; STARTED+=("$FLOOR_PID"); log "started fcgi-floor pid=$FLOOR_PID"
  wait_sock "$RUN_DIR/floor.sock"
fi
wait_sock "$RUN_DIR/mk.sock"
wait_sock "$RUN_DIR/php.sock"
nginx -p "$RUN_DIR/" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" >"$RUN_DIR/nginx.stdout.log" 2>&1 &
NGINX_PID=$!; STARTED+=("$NGINX_PID"); log "started nginx pid=$NGINX_PID"
wait_http "http://127.0.0.1:$PORT_STATIC/hello"

port_of() {
  case $1 in
    mk-off) echo $PORT_MK_OFF ;; mk-keep) echo $PORT_MK_KEEP ;; php-off) echo $PORT_PHP_OFF ;;
    php-keep) echo $PORT_PHP_KEEP ;; static) echo $PORT_STATIC ;; floor) echo $PORT_FLOOR ;; *) die "unknown server $1" ;;
  esac
}
url_of() { # url_of SERVER ENDPOINT
  if [ "$2" = users ]; then echo "http://127.0.0.1:$(port_of "$1")/users/1"; else echo "http://127.0.0.1:$(port_of "$1")/hello"; fi
}
backend_of() { case $1 in mk-*) echo "$MK_PID" ;; php-*) echo "$PHP_PID" ;; floor) echo "$FLOOR_PID" ;; *) echo "" ;; esac; }

# ---------------------------------------------------------------- functional checks: same answers
: > "$OUT/checks.txt"
check_same() { # check_same PATH STATUS SERVER...: every server answers STATUS and, for 200, the same body
  local path=$1 want=$2 s code body first=""
  shift 2
  for s in "$@"; do
    code=$(curl -s --max-time 5 -o "$RUN_DIR/body" -w '%{http_code}' "http://127.0.0.1:$(port_of "$s")$path") || code=ERR
    body=$(cat "$RUN_DIR/body")
    printf '%-9s %-14s %s %s\n' "$s" "$path" "$code" "$body" >> "$OUT/checks.txt"
    [ "$code" = "$want" ] || die "$s $path: status $code, wanted $want"
    if [ "$want" = 200 ]; then
      if [ -z "$first" ]; then first=$body; elif [ "$body" != "$first" ]; then die "$s $path: body $body differs from $first"; fi
    fi
  done
}
APPS="mk-off mk-keep php-off php-keep"
FLOOR_SERVER=""; [ "$FLOOR" = 1 ] && FLOOR_SERVER=floor
check_same /hello 200 $APPS static $FLOOR_SERVER
check_same /users/1 200 $APPS
check_same /users/42 200 $APPS
check_same /users/10000 200 $APPS
check_same /users/10001 404 $APPS
check_same /users/abc 400 $APPS
check_same /nope 404 $APPS
for s in mk-keep php-keep static; do
  { echo "-- response headers, $s:"; curl -s -D - -o /dev/null "$(url_of "$s" hello)" | tr -d '\r'; } >> "$OUT/checks.txt"
done
log "functional checks passed (see $OUT/checks.txt)"

# ---------------------------------------------------------------- measurement
proc_tree() { local p; for p in "$@"; do [ -n "$p" ] || continue; echo "$p"; ps -o pid= --ppid "$p" | tr -d ' ' || true; done; }
rss_sum_kb() { # RSS of the given roots and their children, summed
  local t=0 p v
  for p in $(proc_tree "$@"); do v=$(ps -o rss= -p "$p" | tr -d ' ') || v=0; t=$(( t + ${v:-0} )); done
  echo "$t"
}



RUNS_TSV="$OUT/runs.tsv"
printf 'server\tendpoint\tconns\trun\treq_per_s\tp50_ms\tp99_ms\trequests\tnon2xx\tsocket_errors\tserver_cpu_pct\twrk_cpu_pct\tother_cpu_pct\ttries\tbackend_rss_kb\tnginx_rss_kb\tbackend_cpu_us_per_req\n' > "$RUNS_TSV"

timed_run() { # timed_run SERVER ENDPOINT CONNS RUN PHASE
  local server=$1 ep=$2 c=$3 r=$4 phase=$5 backend url f try pids bpids t0 t1 b0 b1 s0 s1 real usr sys rps p50 p99 req non serr srv wrkc other wpid brss nrss bus
  local script=()
  [ "$ep" = users ] && script=(-s "$PEERS_DIR/wrk/users.lua")
  backend=$(backend_of "$server"); url=$(url_of "$server" "$ep")
  for (( try = 1; try <= RETRIES + 1; try++ )); do
    wait_quiet
    f="$OUT/raw/${server}_${ep}_c${c}_run$r-$phase.txt"
    pids=$(proc_tree "$NGINX_PID" $backend)
    bpids=""; [ -n "$backend" ] && bpids=$(proc_tree "$backend")
    # shellcheck disable=SC2086
    t0=$(cpu_ticks $pids); b0=$(cpu_ticks $bpids); s0=$(sys_busy_ticks)
    TIMEFORMAT='%R %U %S'
    { time wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --latency "${script[@]}" "$url" > "$f" 2>&1; } 2> "$f.time" &
    wpid=$!
    sleep "$(( (DURATION + 1) / 2 ))"      # RSS under load: one sample in the middle of the run
    brss=0; [ -n "$backend" ] && brss=$(rss_sum_kb "$backend")
    nrss=$(rss_sum_kb "$NGINX_PID")
    wait "$wpid"
    s1=$(sys_busy_ticks)
    # shellcheck disable=SC2086
    t1=$(cpu_ticks $pids); b1=$(cpu_ticks $bpids)
    read -r real usr sys < "$f.time"
    read -r rps p50 p99 req non serr <<< "$(parse_wrk "$f")"
    # The backend's own CPU per answered request (µs): what it costs apart from nginx and wrk.
    bus=$(awk -v d=$(( b1 - b0 )) -v hz="$CLK_TCK" -v n="$req" 'BEGIN { printf "%.1f", (n > 0 ? 1e6 * d / hz / n : 0) }')
    srv=$(awk -v d=$(( t1 - t0 )) -v hz="$CLK_TCK" -v t="$real" 'BEGIN { printf "%.0f", 100 * d / hz / t }')
    wrkc=$(awk -v u="$usr" -v s="$sys" -v t="$real" 'BEGIN { printf "%.0f", 100 * (u + s) / t }')
    other=$(awk -v d=$(( s1 - s0 )) -v hz="$CLK_TCK" -v t="$real" -v a="$srv" -v b="$wrkc" \
      'BEGIN { o = 100 * d / hz / t - a - b; printf "%.0f", (o < 0 ? 0 : o) }')
    log "  $server $ep c$c run $r/$try: ${rps} req/s p50=${p50}ms p99=${p99}ms non2xx=${non} sockerr=${serr} cpu: nginx+backend=${srv}% wrk=${wrkc}% other=${other}% rss: backend=${brss}kB nginx=${nrss}kB backend-cpu=${bus}us/req"
    if (( other <= OTHER_MAX )); then break; fi
    if (( try <= RETRIES )); then log "  other processes used ${other}% CPU during the run; redoing it"; fi
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$ep" "$c" "$r" "$rps" "$p50" "$p99" "$req" \
    "$non" "$serr" "$srv" "$wrkc" "$other" "$(( try > RETRIES + 1 ? RETRIES + 1 : try ))" "$brss" "$nrss" "$bus" >> "$RUNS_TSV"
}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -r)  cpus: $(nproc)  mem: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "load before: $(cat /proc/loadavg)"
  echo "manaknight: $("$ROOT/manaknight" --version 2>/dev/null | head -n 1) on $(. "$ROOT/bin/toolchain.sh" && manaknight_find_jdk && "$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
  echo "nginx: $(nginx -v 2>&1 | sed 's/.*version: //')  php-fpm: $("$FPM" -v | head -n 1)"
  echo "wrk: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-3)"
  echo "load: wrk -t$THREADS, conns {$CONNS}, pre-warm ${PREWARM}s (manaknight), warm-up ${WARMUP}s per server and row, $RUNS x ${DURATION}s timed, servers interleaved"
  echo "manaknight fpm config:"; sed 's/^/  /' "$RUN_DIR/fpm.toml"
  echo "php-fpm config:"; grep -v '^;' "$RUN_DIR/php-fpm.conf" | sed '/^$/d; s/^/  /'
  echo "MK_JAVA_OPTS: ${MK_JAVA_OPTS:-(none)}"
} > "$OUT/env.txt"
printf 'process\tidle_rss_kb\nmanaknight\t%s\nphp-fpm(all)\t%s\nnginx(all)\t%s\n' \
  "$(rss_sum_kb "$MK_PID")" "$(rss_sum_kb "$PHP_PID")" "$(rss_sum_kb "$NGINX_PID")" > "$OUT/memory-idle.tsv"

log "results -> $OUT"
half=$(( (PREWARM + 3) / 4 ))
log "pre-warm manaknight: ${PREWARM}s of -c64 load (hello and users, keep-conn off and on)"
for s in mk-off mk-keep; do
  wrk -t"$THREADS" -c64 -d"${half}s" "$(url_of "$s" hello)" > "$OUT/raw/${s}_prewarm_hello.txt" 2>&1
  wrk -t"$THREADS" -c64 -d"${half}s" -s "$PEERS_DIR/wrk/users.lua" "$(url_of "$s" users)" > "$OUT/raw/${s}_prewarm_users.txt" 2>&1
done
# keep_conn off first, then on: php-fpm's children stay bound to nginx's cached keep-conn connections
# (bench/peers/README.md, Notes), so once php-keep has run, php-off would find no free child.
for mode in off keep; do
  for ep in $ENDPOINTS; do
    servers="mk-$mode php-$mode"
    [ "$ep" = hello ] && servers="$servers static"   # nginx serves only /hello as a file
    [ "$ep" = hello ] && [ "$mode" = off ] && servers="$servers $FLOOR_SERVER"
    for c in $CONNS; do
      script=()
      [ "$ep" = users ] && script=(-s "$PEERS_DIR/wrk/users.lua")
      for s in $servers; do
        log "warm-up $s $ep c$c (${WARMUP}s)"
        wrk -t"$THREADS" -c"$c" -d"${WARMUP}s" "${script[@]}" "$(url_of "$s" "$ep")" > "$OUT/raw/${s}_${ep}_c${c}_warmup-$mode.txt" 2>&1
      done
      for r in $(seq "$RUNS"); do
        for s in $servers; do timed_run "$s" "$ep" "$c" "$r" "$mode"; done
      done
    done
  done
done
echo "load after: $(cat /proc/loadavg)" >> "$OUT/env.txt"

# ---------------------------------------------------------------- table: medians, side by side
awk -F'\t' -v OFS='\t' '
  function med(k, col,   i, j, t, m) {
    m = n[k]; if (m == 0) return 0
    for (i = 1; i <= m; i++) tmp[i] = v[k, i, col] + 0
    for (i = 2; i <= m; i++) { t = tmp[i]; for (j = i - 1; j >= 1 && tmp[j] > t; j--) tmp[j + 1] = tmp[j]; tmp[j + 1] = t }
    return (m % 2) ? tmp[(m + 1) / 2] : (tmp[m / 2] + tmp[m / 2 + 1]) / 2
  }
  function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
  NR == 1 { next }
  { k = $1 SUBSEP $2 SUBSEP $3; i = ++n[k]
    for (c = 5; c <= 17; c++) v[k, i, c] = $c
    err[k] += $9 + $10; if ($13 + 0 > omax[k]) omax[k] = $13 + 0
    if ($15 + 0 > rss[k]) rss[k] = $15 + 0
    if (!(($2, $3) in seen)) { seen[$2, $3] = 1; order[++no] = $2 SUBSEP $3 } }
  END {
    print "endpoint", "conns", "keep_conn", "mk req/s", "php req/s", "mk/php", "static req/s", "mk/static", "floor req/s", "mk/floor", "mk p50", "php p50", "mk p99", "php p99", "mk err", "php err", "mk rss MB", "php rss MB", "cpu% mk/php", "us/req mk/php", "other% max"
    for (o = 1; o <= no; o++) {
      split(order[o], e, SUBSEP)
      ks = "static" SUBSEP order[o]; st = med(ks, 5)
      for (m = 1; m <= 2; m++) {
        mode = (m == 1 ? "off" : "on"); suf = (m == 1 ? "-off" : "-keep")
        km = "mk" suf SUBSEP order[o]; kp = "php" suf SUBSEP order[o]
        mr = med(km, 5); pr = med(kp, 5)
        om = (omax[km] > omax[kp] ? omax[km] : omax[kp]); if (omax[ks] > om) om = omax[ks]
        kf = "floor" SUBSEP order[o]; fr = (m == 1 ? med(kf, 5) : 0); if (m == 1 && omax[kf] > om) om = omax[kf]
        printf "%s\t%s\t%s\t%.0f\t%.0f\t%s\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%d\t%.0f\t%.0f\t%.0f/%.0f\t%.1f/%.1f\t%d\n", e[1], e[2], mode, mr, pr, ratio(mr, pr),
          (st > 0 ? sprintf("%.0f", st) : "-"), ratio(mr, st), (fr > 0 ? sprintf("%.0f", fr) : "-"), ratio(mr, fr), med(km, 6), med(kp, 6), med(km, 7), med(kp, 7), err[km], err[kp],
          rss[km] / 1024, rss[kp] / 1024, med(km, 11), med(kp, 11), med(km, 17), med(kp, 17), om
      }
    }
  }' "$RUNS_TSV" > "$OUT/summary.tsv"

{
  echo "== Manaknight-FPM vs PHP-FPM 8.2 ($CHILDREN children) behind one nginx: median of $RUNS x ${DURATION}s wrk -t$THREADS runs each, interleaved,"
  echo "   after a ${PREWARM}s Manaknight pre-warm and a ${WARMUP}s warm-up per server and row. Latencies in ms."
  echo "   mk/php = Manaknight / PHP-FPM req/s (target >= 2); mk/static = Manaknight / nginx static file (target >= 0.60, /hello)."
  echo "   floor = bench/floor/fcgi-floor.c behind the same nginx, keep-conn off, /hello: the cheapest possible backend."
  echo "   rss = largest mid-run sample (MB): the JVM; php-fpm master + children summed. cpu% = nginx + that backend, of one CPU (max $(( $(nproc) * 100 ))%)."
  echo "   us/req = the backend's own CPU time per answered request (JVM; php-fpm master + children), nginx and wrk not included."
  echo "   wrk, nginx and the backends share the same $(nproc) CPUs; err = non-2xx + socket errors over all runs."
  echo "   keep-conn on: nginx keeps $MK_KEEPALIVE idle connections to Manaknight, $PHP_KEEPALIVE to PHP-FPM (upstream keepalive)."
  column -t -s $'\t' "$OUT/summary.tsv"
  echo
  column -t -s $'\t' "$OUT/memory-idle.tsv"
  echo
  grep '^load' "$OUT/env.txt"
} | tee "$OUT/table.txt"
log "done; files in $OUT"
