#!/usr/bin/env bash
# make-db.sh OUT.db [ROWS] — (re)creates the SQLite table every peer and Manaknight read in the benchmarks:
#   users(id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL), ids 1..ROWS (default 10000),
#   name 'user<id>', email 'user<id>@example.com'. The same file for the same ROWS, every time.
set -euo pipefail
out=${1:?usage: make-db.sh OUT.db [ROWS]}
rows=${2:-10000}
[[ $rows =~ ^[0-9]+$ ]] || { echo "make-db.sh: ROWS must be a number, got '$rows'" >&2; exit 64; }
command -v sqlite3 >/dev/null || { echo "make-db.sh: sqlite3 is missing (apt-get install -y sqlite3)" >&2; exit 69; }
rm -f -- "$out" "$out-journal"
sqlite3 "$out" >/dev/null <<SQL
PRAGMA journal_mode=DELETE;
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $rows)
INSERT INTO users (id, name, email) SELECT n, 'user' || n, 'user' || n || '@example.com' FROM seq;
SQL
chmod 644 "$out"   # php-fpm's and nginx's workers (www-data) read it
