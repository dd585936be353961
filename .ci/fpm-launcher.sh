#!/usr/bin/env bash
# `manaknight fpm` through the launcher, as systemd runs it: -t checks and starts nothing, SIGHUP
# reloads, SIGQUIT drains and exits 0 (PHP-FPM's graceful stop, which needs the launcher's -Xrs
# and blocked signals), and the socket is gone afterwards. The server tests start the JVM the
# same way, but not through the launcher, so this is the check that the launcher still does it:
# once with each way it has to block the signals (GNU env's --block-signal, and perl's POSIX
# module for systems whose coreutils lack it).
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/manaknight-fpm-ci.XXXXXX")
trap 'kill -KILL "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
die() { echo "ci: fpm launcher: $*" >&2; cat "$work/fpm.log" >&2; exit 1; }

cat >"$work/fpm.toml" <<TOML
app = "$root/examples/users"
[server]
listen = "unix:$work/fpm.sock"
[db]
url = "sqlite:$work/users.db"
TOML

# -t (php-fpm -t): the config and the program checked, nothing started.
"$root/manaknight" fpm --config "$work/fpm.toml" -t >"$work/fpm.log" 2>&1 || die "fpm -t failed"
grep -qF "test is successful" "$work/fpm.log" || die "fpm -t did not say the test passed"
[[ ! -e $work/fpm.sock ]] || die "fpm -t created the socket"

wait_for() { # wait_for TEXT: up to 60 s for TEXT in the log
    for _ in $(seq 600); do
        grep -qF -- "$1" "$work/fpm.log" && return 0
        kill -0 "$pid" 2>/dev/null || die "exited while waiting for \"$1\""
        sleep 0.1
    done
    die "no \"$1\" within 60 s"
}
for blocker in env perl; do
    MANAKNIGHT_SIGNAL_BLOCKER=$blocker "$root/manaknight" fpm --config "$work/fpm.toml" >"$work/fpm.log" 2>&1 &
    pid=$!
    wait_for "fpm listening on unix:$work/fpm.sock"
    kill -HUP "$pid"
    wait_for "reloaded $root/examples/users"
    kill -QUIT "$pid"
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && die "$blocker: still running 30 s after SIGQUIT"
    status=0
    wait "$pid" || status=$?
    ((status == 0)) || die "$blocker: exit $status after SIGQUIT, expected 0"
    grep -qF "SIGQUIT from pid" "$work/fpm.log" || die "$blocker: SIGQUIT was not taken as a stop"
    [[ ! -e $work/fpm.sock ]] || die "$blocker: the socket is still there"
    echo "ci: fpm launcher ok with $blocker blocking the signals (SIGHUP reloaded, SIGQUIT drained and exited 0)"
done
echo "ci: fpm launcher ok (-t passed)"
