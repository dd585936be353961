#!/usr/bin/env bash
# Installs the FastCGI/CGI integration peers (Debian 12, as root or with sudo): nginx, cgi-fcgi
# (libfcgi-bin) and fcgiwrap. Idempotent. It never starts a system nginx or fcgiwrap: the
# server-fcgi tests start their own nginx with their own config in a temp dir (daemon off).
# Use: `bash .ci/nginx.sh` or `source .ci/nginx.sh` from .ci/run.
set -euo pipefail

mk_nginx_packages=()
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || mk_nginx_packages+=(nginx)
command -v cgi-fcgi >/dev/null 2>&1 || mk_nginx_packages+=(libfcgi-bin)
command -v fcgiwrap >/dev/null 2>&1 || [[ -x /usr/sbin/fcgiwrap ]] || mk_nginx_packages+=(fcgiwrap)

if ((${#mk_nginx_packages[@]})); then
    mk_nginx_sudo=()
    ((EUID == 0)) || mk_nginx_sudo=(sudo)
    # policy-rc.d 101: the packages' postinst scripts must not start system services.
    mk_nginx_policy=/usr/sbin/policy-rc.d
    mk_nginx_had_policy=0
    [[ -e $mk_nginx_policy ]] && mk_nginx_had_policy=1
    if ((mk_nginx_had_policy == 0)); then
        printf '#!/bin/sh\nexit 101\n' | "${mk_nginx_sudo[@]}" tee "$mk_nginx_policy" >/dev/null
        "${mk_nginx_sudo[@]}" chmod +x "$mk_nginx_policy"
        trap '"${mk_nginx_sudo[@]}" rm -f "$mk_nginx_policy"' EXIT
    fi
    echo "nginx.sh: installing ${mk_nginx_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${mk_nginx_sudo[@]}" apt-get install -y -q --no-install-recommends "${mk_nginx_packages[@]}"; then
        "${mk_nginx_sudo[@]}" apt-get update -q
        "${mk_nginx_sudo[@]}" apt-get install -y -q --no-install-recommends "${mk_nginx_packages[@]}"
    fi
    if ((mk_nginx_had_policy == 0)); then
        "${mk_nginx_sudo[@]}" rm -f "$mk_nginx_policy"
        trap - EXIT
    fi
fi
echo "nginx.sh: $(/usr/sbin/nginx -v 2>&1), cgi-fcgi at $(command -v cgi-fcgi), fcgiwrap at $(command -v fcgiwrap || echo /usr/sbin/fcgiwrap)"
