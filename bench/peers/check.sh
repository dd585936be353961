#!/usr/bin/env bash
# check.sh — starts each peer whose tools are installed, checks its answers, and stops it: the
# smoke test of bench/peers (no load, a few seconds). Peers: node (bench/target/node-peer, which
# setup.sh installs), php (php-fpm 8.2 behind nginx, keep_conn off) and static (nginx's file).
# Every peer must answer as bench/app does in Manaknight:
#   GET /hello 200 {"message":"hello"}, GET /users/42 200 the row, /users/10001 404,
#   /users/abc 400, /nope 404, POST /hello 405 (static: /hello only).
# Exit: 0 all checked peers answered right, 1 a wrong answer, 69 no peer could be checked.
# Ports (127.0.0.1): 18290 node, 18291 nginx -> php-fpm, 18292 nginx static. Run as root for php
# (php-fpm and nginx workers run as www-data, as bench/fpm.sh runs them).
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"   # PEERS_DIR, log, die, stop_pid, wait_http, …

PORT_NODE=18290
PORT_PHP=18291
PORT_STATIC=18292
NODE_DIR="$(dirname "$PEERS_DIR")/target/node-peer"
FPM=${FPM:-php-fpm8.2}
start_run peers-check never

for p in $PORT_NODE $PORT_PHP $PORT_STATIC; do if port_busy "$p"; then die "port $p on 127.0.0.1 is already in use"; fi; done
command -v curl >/dev/null || die "curl is missing (bench/peers/setup.sh --apt)"
"$PEERS_DIR/make-db.sh" "$RUN_DIR/users.db" 10000

FAILED=0
CHECKED=()
expect() { # expect NAME METHOD URL STATUS [BODY]
  local got status body
  got=$(curl -s -X "$2" -w '\n%{http_code}' --max-time 5 "$3") || got=$'\n000'
  status=${got##*$'\n'}; body=${got%$'\n'*}
  if [ "$status" != "$4" ] || { [ $# -ge 5 ] && [ "$body" != "$5" ]; }; then
    log "FAIL $1: $2 $3 -> $status $body (wanted $4 ${5:-})"; FAILED=1
  else
    log "ok   $1: $2 $3 -> $status $body"
  fi
}
answers() { # answers NAME BASE_URL: the checks every application peer must pass
  expect "$1" GET "$2/hello" 200 '{"message":"hello"}'
  expect "$1" GET "$2/users/42" 200 '{"id":42,"name":"user42","email":"user42@example.com"}'
  expect "$1" GET "$2/users/10000" 200 '{"id":10000,"name":"user10000","email":"user10000@example.com"}'
  expect "$1" GET "$2/users/10001" 404
  expect "$1" GET "$2/users/abc" 400
  expect "$1" GET "$2/nope" 404
  expect "$1" POST "$2/hello" 405
  CHECKED+=("$1")
}

# ---------------------------------------------------------------- node
if [ -f "$NODE_DIR/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ] && command -v node >/dev/null; then
  cmp -s "$PEERS_DIR/node/server.js" "$NODE_DIR/server.js" || die "$NODE_DIR is an older copy: run bench/peers/setup.sh"
  USERS_DB="$RUN_DIR/users.db" PORT=$PORT_NODE HOST=127.0.0.1 node "$NODE_DIR/server.js" >"$RUN_DIR/node.log" 2>&1 &
  STARTED+=("$!")
  wait_http "http://127.0.0.1:$PORT_NODE/hello"
  answers node "http://127.0.0.1:$PORT_NODE"
else
  log "skipped node: not installed in $NODE_DIR (bench/peers/setup.sh installs it)"
fi

# ---------------------------------------------------------------- php-fpm and static, behind one nginx
if command -v nginx >/dev/null && command -v "$FPM" >/dev/null; then
  php_peer_files "$RUN_DIR" 2
  mkdir -p "$RUN_DIR/nginx-tmp"
  { nginx_head "$RUN_DIR"
    php_peer_server "$PORT_PHP" "$RUN_DIR"
    static_peer_server "$PORT_STATIC" "$RUN_DIR"
    echo "}"
  } > "$RUN_DIR/nginx.conf"
  "$FPM" -F -y "$RUN_DIR/php-fpm.conf" -d opcache.enable=1 >"$RUN_DIR/php-fpm.out" 2>&1 &
  STARTED+=("$!")
  wait_sock "$RUN_DIR/php.sock"
  nginx -p "$RUN_DIR/" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" >"$RUN_DIR/nginx.out" 2>&1 &
  STARTED+=("$!")
  wait_http "http://127.0.0.1:$PORT_STATIC/hello"
  answers php "http://127.0.0.1:$PORT_PHP"
  expect static GET "http://127.0.0.1:$PORT_STATIC/hello" 200 '{"message":"hello"}'
  CHECKED+=(static)
else
  log "skipped php and static: nginx or $FPM is missing (bench/peers/setup.sh --apt installs them)"
fi

[ ${#CHECKED[@]} -gt 0 ] || { log "no peer could be checked"; exit 69; }
if [ "$FAILED" = 1 ]; then
  for f in "$RUN_DIR"/*.log "$RUN_DIR"/*.out; do [ -s "$f" ] && { log "-- $f"; cat "$f" >&2; }; done
  exit 1
fi
log "checked: ${CHECKED[*]}"
