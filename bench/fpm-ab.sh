#!/usr/bin/env bash
# fpm-ab.sh — two `manaknight fpm` instances, A and B, behind one nginx, measured side by side.
#
# For a decision between two settings (a transport, a heap size, …) on a noisy machine: both
# instances run at once, the same warm-up, and their runs alternate (A, B, A, B, …) over
# /hello and /users/{random} with keep-conn off and on, so both see the same noise. Each run
# reports req/s, p99 and the instance's own CPU per request (utime + stime of the JVM over the
# requests served). Prints every run, then the median per instance and row.
#
# Knobs (environment): A_TOML / B_TOML  extra lines for the [server] table (e.g. 'transport = "epoll"')
#   A_OPTS / B_OPTS  MANAKNIGHT_JAVA_OPTS of each instance   A_HEAP / B_HEAP  MANAKNIGHT_HEAP
#   REPS(3) DURATION(8) CONNS(64) PREWARM(8, per instance, endpoint and mode) OUT(bench/results/ab-<stamp>)
#   KEEPALIVE(256: nginx's idle connections per instance for keep-conn on, as RESULTS.md §8 sizes them)
#   B_ROOT  another checkout, built: B runs its `manaknight` (a before/after of Manaknight itself)
# Needs: nginx wrk sqlite3 curl; bench/peers (or PEERS_DIR) for the users database and wrk script.
# Example (section 6 of RESULTS.md):  B_TOML='transport = "epoll"' bash bench/fpm-ab.sh
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
REPS=${REPS:-3}
DURATION=${DURATION:-8}
CONNS=${CONNS:-64}
KEEPALIVE=${KEEPALIVE:-256}
PREWARM=${PREWARM:-8}
OUT=${OUT:-$BENCH/results/ab-$(date +%Y%m%d-%H%M%S)}
PORTS=(19181 19182 19281 19282)   # A off, A keep, B off, B keep

find_peers wrk/users.lua || die "no wrk script in $PEERS_DIR"
for c in nginx wrk sqlite3 curl; do command -v "$c" >/dev/null || die "missing '$c'"; done
for p in "${PORTS[@]}"; do if port_busy "$p"; then die "port $p on 127.0.0.1 is already in use"; fi; done

start_run fpm-ab never
mkdir -p "$OUT" "$RUN_DIR/nginx-tmp"
"$ROOT/manaknight" --version >/dev/null   # builds the jar first if it is stale
B_ROOT=${B_ROOT:-$ROOT}
"$B_ROOT/manaknight" --version >/dev/null

declare -A PID
for x in a b; do
  X=${x^^}; toml_var=${X}_TOML; opts_var=${X}_OPTS; heap_var=${X}_HEAP; root=$ROOT
  [[ $x == b ]] && root=$B_ROOT
  "$PEERS_DIR/make-db.sh" "$RUN_DIR/users-$x.db" 10000 >/dev/null
  cat > "$RUN_DIR/$x.toml" <<EOF
app = "$BENCH/app"
[server]
listen = "unix:$RUN_DIR/$x.sock"
workers = 8
socket_mode = "0666"
${!toml_var:-}
[db]
url = "sqlite:$RUN_DIR/users-$x.db"
[log]
access = "off"
EOF
  env _JAVA_SR_SIGNUM=39 MANAKNIGHT_JAVA_OPTS="${!opts_var:-}" ${!heap_var:+MANAKNIGHT_HEAP=${!heap_var}} \
    "$root/manaknight" fpm --config "$RUN_DIR/$x.toml" > "$OUT/$x.log" 2>&1 &
  PID[$x]=$!; STARTED+=("$!")
done
for x in a b; do wait_sock "$RUN_DIR/$x.sock"; done
cp "$PEERS_DIR/conf/fastcgi_params" "$RUN_DIR/"
{ nginx_head "$RUN_DIR"
  cat <<EOF
    upstream a_keep { server unix:$RUN_DIR/a.sock; keepalive $KEEPALIVE; }
    upstream b_keep { server unix:$RUN_DIR/b.sock; keepalive $KEEPALIVE; }
    server { listen 127.0.0.1:${PORTS[0]}; location / { include $RUN_DIR/fastcgi_params; fastcgi_pass unix:$RUN_DIR/a.sock; } }
    server { listen 127.0.0.1:${PORTS[1]}; location / { include $RUN_DIR/fastcgi_params; fastcgi_keep_conn on; fastcgi_pass a_keep; } }
    server { listen 127.0.0.1:${PORTS[2]}; location / { include $RUN_DIR/fastcgi_params; fastcgi_pass unix:$RUN_DIR/b.sock; } }
    server { listen 127.0.0.1:${PORTS[3]}; location / { include $RUN_DIR/fastcgi_params; fastcgi_keep_conn on; fastcgi_pass b_keep; } }
}
EOF
} > "$RUN_DIR/nginx.conf"
nginx -p "$RUN_DIR/" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" > "$RUN_DIR/nginx.out" 2>&1 &
STARTED+=("$!")
for p in "${PORTS[@]}"; do wait_http "http://127.0.0.1:$p/hello"; done
grep -h "transport" "$OUT/a.log" "$OUT/b.log" | sed 's/^/  /' >&2 || true

port_of() { # port_of a|b off|on
  local i=0; [ "$1" = b ] && i=2; [ "$2" = on ] && i=$(( i + 1 )); echo "${PORTS[i]}"
}
load() { # load a|b hello|users off|on SECONDS [--latency]: wrk output on stdout
  local url script=()
  url="http://127.0.0.1:$(port_of "$1" "$3")"
  if [ "$2" = users ]; then script=(-s "$PEERS_DIR/wrk/users.lua"); else url="$url/hello"; fi
  wrk -t2 -c"$CONNS" -d"$4s" ${5:-} "${script[@]}" "$url"
}

log "pre-warm: ${PREWARM}s per instance, endpoint and mode"
for m in off on; do for e in hello users; do for x in a b; do load "$x" "$e" "$m" "$PREWARM" > /dev/null; done; done; done

TSV="$OUT/runs.tsv"
printf 'instance\tendpoint\tkeep_conn\trep\treq_per_s\tp99_ms\tcpu_us_per_req\n' > "$TSV"
declare -A RSS_MAX=([a]=0 [b]=0)   # the largest RSS sample of each JVM, taken after each of its runs
for rep in $(seq "$REPS"); do
  for row in "hello off" "hello on" "users off" "users on"; do
    read -r e m <<< "$row"
    for x in a b; do
      t0=$(cpu_ticks "${PID[$x]}")
      load "$x" "$e" "$m" "$DURATION" --latency > "$OUT/wrk.out" 2>&1
      t1=$(cpu_ticks "${PID[$x]}")
      rss=$(ps -o rss= -p "${PID[$x]}" | tr -d ' '); (( rss > RSS_MAX[$x] )) && RSS_MAX[$x]=$rss
      read -r rps p50 p99 req non serr <<< "$(parse_wrk "$OUT/wrk.out")"
      us=$(awk -v d=$(( t1 - t0 )) -v hz="$CLK_TCK" -v n="$req" 'BEGIN { printf "%.1f", (n > 0 ? 1e6 * d / hz / n : 0) }')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$x" "$e" "$m" "$rep" "$rps" "$p99" "$us" | tee -a "$TSV"
    done
  done
done
rm -f "$OUT/wrk.out"

{
  echo "== A/B: A = [${A_TOML:-}] opts [${A_OPTS:-}] heap [${A_HEAP:-default}], B = [${B_TOML:-}] opts [${B_OPTS:-}] heap [${B_HEAP:-default}]"
  echo "   medians of $REPS x ${DURATION}s wrk -t2 -c$CONNS runs, A and B alternating; us/req = the JVM's CPU per request"
  awk -F'\t' 'NR > 1 { k = $2 " " $3 " " $1; n[k]++; r[k, n[k]] = $5; p[k, n[k]] = $6; u[k, n[k]] = $7 }
    function med(a, k,   i, j, t, m, v) { m = n[k]; for (i = 1; i <= m; i++) v[i] = a[k, i] + 0
      for (i = 2; i <= m; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
      return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
    END { printf "%-16s %-3s %10s %9s %9s\n", "row", "", "req/s", "p99 ms", "us/req"
      split("hello off|hello on|users off|users on", rows, "|")
      for (i = 1; i <= 4; i++) for (x = 0; x < 2; x++) { k = rows[i] " " (x ? "b" : "a")
        printf "%-16s %-3s %10.0f %9.2f %9.1f\n", rows[i], (x ? "B" : "A"), med(r, k), med(p, k), med(u, k) } }' "$TSV"
  echo "largest RSS after a run: A $(( RSS_MAX[a] / 1024 )) MB, B $(( RSS_MAX[b] / 1024 )) MB"
} | tee "$OUT/table.txt"
log "done; files in $OUT"
