#!/usr/bin/env bash
# cgi.sh — wall time of one CGI request through the shipped wrapper (examples/nginx/manaknight-cgi),
# the way fcgiwrap starts it: a fresh process per request, GET /users/1 of the users example on
# SQLite. Each side gets its own cache folder, made first by the wrapper's own background run
# (the time of that first request is printed too); then ROUNDS rounds of RUNS requests per side,
# sides interleaved, and the median, min and max of each round.
#
# Side A is the jar `./manaknight` builds with the wrapper in this tree. An optional side B
# compares another build: B_JAR (a manaknight.jar) and B_WRAPPER (its manaknight-cgi), e.g. from a
# clone at an older commit. Every answer must be the user, and each side must have made its AOT
# cache and extracted SQLite's library, or the script stops: `.ci/cgi-wrapper.sh` runs it once
# (RUNS=1 ROUNDS=1) as CI's check of the shipped wrapper.
#
# Knobs (environment): RUNS(11) ROUNDS(3) A_JAR A_WRAPPER B_JAR B_WRAPPER TRAIN_WAIT(60)
#   URI(/users/1; another path is timed too, e.g. /users/abc, a 400 the router answers without
#   the database; its answer need only be a CGI one, the first request of each side stays /users/1)
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"   # log, die

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RUNS=${RUNS:-11}
URI=${URI:-/users/1}
ROUNDS=${ROUNDS:-3}
TRAIN_WAIT=${TRAIN_WAIT:-60}
A_JAR=${A_JAR:-$ROOT/cli/target/manaknight.jar}
A_WRAPPER=${A_WRAPPER:-$ROOT/examples/nginx/manaknight-cgi}
B_JAR=${B_JAR:-}
B_WRAPPER=${B_WRAPPER:-}
sides=(A)
[[ -n $B_JAR ]] && { [[ -n $B_WRAPPER ]] || die "B_JAR needs B_WRAPPER"; sides+=(B); }

# shellcheck source=../bin/toolchain.sh
. "$ROOT/bin/toolchain.sh"
manaknight_find_jdk || die "no JDK 25"
"$ROOT/manaknight" --version >/dev/null   # builds the jar first if it is stale
WORK=$(mktemp -d /tmp/mk-cgi-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$ROOT/manaknight" build -o "$WORK/app.mkb" "$ROOT/examples/users" >/dev/null
cat > "$WORK/cgi.toml" <<EOF
[db]
url = "sqlite:$WORK/app.db"
schema = "$ROOT/examples/users/schema.sql"
[log]
access = "off"
EOF

request() { # request SIDE URI: one GET, the answer on stdout
  local jar wrapper
  if [[ $1 == A ]]; then jar=$A_JAR wrapper=$A_WRAPPER; else jar=$B_JAR wrapper=$B_WRAPPER; fi
  env -i PATH=/usr/bin:/bin JAVA_HOME="$JAVA_HOME" MANAKNIGHT_HOME="$ROOT" MANAKNIGHT_JAR="$jar" \
      MANAKNIGHT_CACHE="$WORK/cache-$1" MANAKNIGHT_APP="$WORK/app.mkb" MANAKNIGHT_CONFIG="$WORK/cgi.toml" \
      REQUEST_METHOD=GET REQUEST_URI="$2" SERVER_PROTOCOL=HTTP/1.1 "$wrapper"
}
timed() { # timed SIDE [URI]: milliseconds of one request
  local s e out uri=${2:-/users/1}
  s=$(date +%s%N)
  out=$(request "$1" "$uri" 2>/dev/null)
  e=$(date +%s%N)
  if [[ $uri == /users/1 ]]; then
    [[ $out == "Status: 200 OK"* && $out == *'"id":1,'* ]] || die "side $1 answered: $out"
  else
    [[ $out == "Status: "* ]] || die "side $1 answered $uri with: $out"
  fi
  echo $(( (e - s) / 1000000 ))
}

for side in "${sides[@]}"; do
  first=$(timed "$side")   # a failed request stops the script here (set -e), not inside a log line
  log "side $side: first request, no cache: $first ms"
  for _ in $(seq $((TRAIN_WAIT * 2))); do compgen -G "$WORK/cache-$side/cgi-*.aot" >/dev/null && break; sleep 0.5; done
  compgen -G "$WORK/cache-$side/cgi-*.aot" >/dev/null || die "side $side made no AOT cache in ${TRAIN_WAIT}s"
  case $(uname -m) in   # sqlite-jdbc's folders the wrapper knows (glibc Linux)
    x86_64 | aarch64)
      compgen -G "$WORK/cache-$side/cgi-*.lib/libsqlitejdbc.so" >/dev/null \
        || die "side $side: the wrapper did not extract SQLite's native library" ;;
  esac
  while compgen -G "$WORK/cache-$side/*.lock" >/dev/null; do sleep 0.5; done
done
for round in $(seq "$ROUNDS"); do
  for side in "${sides[@]}"; do
    ms=()
    for _ in $(seq "$RUNS"); do t=$(timed "$side" "$URI"); ms+=("$t"); done
    sorted=$(printf '%s\n' "${ms[@]}" | sort -n)
    echo "round $round side $side: median $(sed -n "$(( (RUNS + 1) / 2 ))p" <<<"$sorted") ms" \
         "(min $(head -1 <<<"$sorted"), max $(tail -1 <<<"$sorted"); $RUNS runs)"
  done
done
