#!/usr/bin/env bash
# CI: install PostgreSQL on Debian 12 (as root), start its cluster, create the role and database
# `manaknight` (password `manaknight`), and print the line that points the tests at it:
#   eval "$(.ci/postgres.sh | tail -n 1)"     # or: export "$(.ci/postgres.sh | tail -n 1)"
# Idempotent: a second run finds everything in place and prints the same line.
set -euo pipefail

readonly ROLE=manaknight DATABASE=manaknight PASSWORD=manaknight PORT=5432
export DEBIAN_FRONTEND=noninteractive

sudo=()
((EUID == 0)) || sudo=(sudo)

if ! command -v pg_lsclusters >/dev/null || [[ -z $(pg_lsclusters -h 2>/dev/null) ]]; then
    echo "postgres.sh: installing postgresql" >&2
    "${sudo[@]}" apt-get install -y -q --no-install-recommends postgresql >&2
fi

# The packaged cluster (e.g. 15/main); create one when the package left none behind.
read -r version cluster _ < <(pg_lsclusters -h | head -n 1) || true
if [[ -z ${version:-} ]]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    cluster=main
    "${sudo[@]}" pg_createcluster "$version" "$cluster" --port "$PORT" >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c && $4 == "online" { found = 1 } END { exit !found }'; then
    echo "postgres.sh: starting cluster $version/$cluster" >&2
    "${sudo[@]}" pg_ctlcluster "$version" "$cluster" start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')

# psql as the database superuser, over the local socket (peer authentication).
psql_as_postgres() {
    if ((EUID == 0)); then runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"
    else sudo -u postgres psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; fi
}

# Wait for the server to accept connections (the start above returns before it always does).
for _ in $(seq 50); do
    psql_as_postgres -c 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.2
done

if [[ $(psql_as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'") != 1 ]]; then
    psql_as_postgres -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
else
    psql_as_postgres -c "ALTER ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [[ $(psql_as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'") != 1 ]]; then
    psql_as_postgres -c "CREATE DATABASE $DATABASE OWNER $ROLE" >&2
fi

echo "postgres.sh: PostgreSQL $version/$cluster on 127.0.0.1:$port, database $DATABASE, role $ROLE" >&2
echo "MANAKNIGHT_TEST_PG_URL=postgresql://127.0.0.1:$port/$DATABASE?user=$ROLE&password=$PASSWORD"
