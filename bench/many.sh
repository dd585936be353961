#!/usr/bin/env bash
# many.sh — 10,000 concurrent keep-alive clients on /users/{id}: `manaknight serve` against the
# Node.js peer, as http.sh measures them (interleaved runs, median of per-round ratios), with
# max_connections raised past the clients. Reports req/s, p99, errors (non-2xx: 503s from
# admission would show here) and peak RSS per server.
#
# LOADGEN=clientload (http.sh) times each request from when its client wanted it, connecting included,
# and counts the clients never answered: at this load wrk's latencies leave out the clients a server
# keeps waiting to connect (RESULTS §20, §27).
# Knobs: as http.sh; CONNS (10000), DURATION (20), RUNS (5), PREWARM (30), B_ROOT for a before/after.
# Needs what http.sh needs, and a file-descriptor limit (ulimit -n) of CONNS + 1,000: the limit is per
# process, and wrk and each server hold one descriptor per client.
set -euo pipefail
need=$(( ${CONNS:-10000} + 1000 ))
if (( $(ulimit -n) < need )); then ulimit -n "$need" 2>/dev/null || { echo "many.sh: ulimit -n $need failed" >&2; exit 1; }; fi
export CONNS=${CONNS:-10000} ENDPOINTS=${ENDPOINTS:-users} DURATION=${DURATION:-20} RUNS=${RUNS:-5} PREWARM=${PREWARM:-30}
export MK_CONFIG_EXTRA=${MK_CONFIG_EXTRA:-"max_connections = 20000"}
export OUT=${OUT:-"$(cd "$(dirname "$0")" && pwd)/results/many-$(date +%Y%m%d-%H%M%S)"}
exec bash "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/http.sh"
