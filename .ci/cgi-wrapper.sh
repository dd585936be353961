#!/usr/bin/env bash
# The shipped CGI wrapper (examples/nginx/manaknight-cgi) against the jar ./test built: a first
# request without caches (it starts the background run that makes them), then one with the AOT
# cache and the extracted SQLite library. Both must answer the users example's GET /users/1.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=../bin/toolchain.sh
. "$root/bin/toolchain.sh"
manaknight_find_jdk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/manaknight" build -o "$work/app.mkb" "$root/examples/users" >/dev/null
cat > "$work/cgi.toml" <<EOF
[db]
url = "sqlite:$work/app.db"
schema = "$root/examples/users/schema.sql"
[log]
access = "off"
EOF

request() {
    env -i PATH=/usr/bin:/bin JAVA_HOME="$JAVA_HOME" MANAKNIGHT_HOME="$root" MANAKNIGHT_CACHE="$work/cache" \
        MANAKNIGHT_APP="$work/app.mkb" MANAKNIGHT_CONFIG="$work/cgi.toml" \
        REQUEST_METHOD=GET REQUEST_URI=/users/1 SERVER_PROTOCOL=HTTP/1.1 "$root/examples/nginx/manaknight-cgi"
}
expect() {
    local out=$1 what=$2
    if [[ $out != "Status: 200 OK"* || $out != *'"id":1,'* ]]; then
        printf 'ci: the CGI wrapper (%s) answered:\n%s\n' "$what" "$out" >&2
        exit 1
    fi
}

expect "$(request)" "first request, no cache"
for _ in $(seq 120); do compgen -G "$work/cache/cgi-*.aot" >/dev/null && break; sleep 0.5; done
compgen -G "$work/cache/cgi-*.aot" >/dev/null || { echo "ci: the CGI wrapper made no AOT cache in 60 s" >&2; exit 1; }
case $(uname -m) in
    x86_64 | aarch64)
        compgen -G "$work/cache/cgi-*.lib/libsqlitejdbc.so" >/dev/null \
            || { echo "ci: the CGI wrapper did not extract SQLite's native library" >&2; exit 1; } ;;
esac
expect "$(request)" "with the AOT cache"
echo "ci: CGI wrapper ok (cache: $(cd "$work/cache" && ls | tr '\n' ' '))"
