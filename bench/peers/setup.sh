#!/usr/bin/env bash
# setup.sh — installs what the benchmarks' peer servers need, then says what is still missing.
#
#   bench/peers/setup.sh            the Node peer into bench/target/node-peer (npm ci: the exact versions
#                                   of node/package-lock.json, from the npm registry)
#   bench/peers/setup.sh --apt      first Debian's packages, with apt-get (as root): nginx, php8.2-fpm,
#                                   php8.2-sqlite3, wrk, sqlite3, curl, libfcgi-bin, and g++/make/python3
#                                   for better-sqlite3 when no prebuilt binary can be downloaded
#   bench/peers/setup.sh --node DIR only the Node peer, into DIR, when DIR's copy is missing or differs
#                                   from node/ (bench/http.sh calls this before every run)
#
# Node.js 20 or later with npm must be on PATH (Debian 12's own nodejs is 18: better-sqlite3 12
# needs 20). node_modules never lands in the repository: the peer is copied out first.
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
NODE_DIR="$(dirname "$HERE")/target/node-peer"
APT=0

say() { printf 'setup.sh: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case $1 in
    --apt) APT=1; shift ;;
    --node) NODE_DIR=${2:?--node needs a directory}; NODE_ONLY=1; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) say "unknown argument '$1' (--help lists them)"; exit 64 ;;
  esac
done

node_peer() { # copies node/ into NODE_DIR and runs npm ci there, unless that copy is already installed
  local f fresh=1
  for f in server.js package.json package-lock.json; do cmp -s "$HERE/node/$f" "$NODE_DIR/$f" || fresh=0; done
  [ -f "$NODE_DIR/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ] || fresh=0
  if [ "$fresh" = 1 ]; then return 0; fi
  command -v node >/dev/null && command -v npm >/dev/null || { say "Node.js 20 or later with npm must be on PATH"; return 69; }
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  (( major >= 20 )) || { say "node $(node -v) is too old: better-sqlite3 12 needs Node.js 20 or later"; return 69; }
  say "installing the Node peer into $NODE_DIR (npm ci; better-sqlite3 compiles for ~80 s when no prebuilt binary fits)"
  mkdir -p "$NODE_DIR"
  cp "$HERE/node/server.js" "$HERE/node/package.json" "$HERE/node/package-lock.json" "$NODE_DIR/"
  local log; log=$(mktemp)
  if ! (cd "$NODE_DIR" && npm ci --no-audit --no-fund) >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"; say "npm ci failed (its log above)"; return 70
  fi
  rm -f "$log"
}

if [ "${NODE_ONLY:-0}" = 1 ]; then node_peer; exit $?; fi

if [ "$APT" = 1 ]; then
  [ "$(id -u)" = 0 ] || { say "--apt installs Debian packages: run it as root"; exit 77; }
  apt-get update
  # The packages' own services are never used: the scripts start nginx and php-fpm with their own configs.
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    nginx php8.2-fpm php8.2-cli php8.2-sqlite3 wrk sqlite3 curl libfcgi-bin g++ make python3
fi
node_peer || say "the Node peer is not installed: bench/http.sh and bench/many.sh need it"

missing=()
for c in nginx php-fpm8.2 wrk sqlite3 curl cgi-fcgi node; do command -v "$c" >/dev/null || missing+=("$c"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "still missing: ${missing[*]} (--apt installs the Debian ones; node is Node.js 20+)"
else
  say "every peer's tools are here; bench/peers/check.sh checks the peers' answers"
fi
