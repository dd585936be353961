#!/usr/bin/env bash
# The shipped CGI wrapper (examples/nginx/manaknight-cgi) against the jar ./test built: a first
# request without caches (it starts the background run that makes them), then one with the AOT
# cache and the extracted SQLite library. Both must answer the users example's GET /users/1.
# bench/cgi.sh does exactly that before it times anything; here it runs once, as a check.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
RUNS=1 ROUNDS=1 bash "$root/bench/cgi.sh"
echo "ci: CGI wrapper ok"
