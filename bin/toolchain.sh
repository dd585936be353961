# Finds the JDK (>= 25) and Maven that the launcher, ./test and .ci/run use. Sourced, never run.
#   manaknight_find_jdk    exports JAVA_HOME, or explains what it looked for and returns 1
#   manaknight_find_maven  sets MANAKNIGHT_MVN, or explains and returns 1

MANAKNIGHT_MIN_JAVA=25

# The feature version (8, 17, 25) of the java binary $1; nothing when it cannot tell.
manaknight_java_major() {
    local line version
    line=$("$1" -version 2>&1 | head -n 1) || return 0
    # java version "1.8.0_392" | openjdk version "25.0.3" 2026-04-21 LTS | openjdk version "26-ea"
    [[ $line == *\"*\"* ]] || return 0
    version=${line#*\"}
    version=${version%%\"*}
    [[ $version == 1.* ]] && version=${version#1.}
    version=${version%%[!0-9]*}
    [[ -n $version ]] && printf '%s\n' "$version"
    return 0
}

manaknight_find_jdk() {
    local candidates=() tried=() home major java_on_path real
    local -A seen=()
    [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
    for home in /usr/lib/jvm/*25* /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [[ -d $home ]] && candidates+=("$home")
    done
    if java_on_path=$(command -v java 2>/dev/null); then
        home=$(dirname "$(dirname "$(readlink -f "$java_on_path")")")
        candidates+=("$home")
    fi
    for home in "${candidates[@]}"; do
        [[ -x $home/bin/java ]] || continue
        real=$(readlink -f "$home")
        [[ -z ${seen[$real]:-} ]] || continue
        seen[$real]=1
        major=$(manaknight_java_major "$home/bin/java")
        if [[ -n $major ]] && ((major >= MANAKNIGHT_MIN_JAVA)); then
            export JAVA_HOME=$home
            return 0
        fi
        tried+=("$home (Java ${major:-unknown})")
    done
    {
        echo "manaknight: needs a JDK ${MANAKNIGHT_MIN_JAVA} or newer, and found none."
        echo "  looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm/*${MANAKNIGHT_MIN_JAVA}*, the other JDKs in /usr/lib/jvm, 'java' on PATH"
        local t
        for t in "${tried[@]}"; do echo "  too old: $t"; done
        echo "  install one (e.g. Temurin ${MANAKNIGHT_MIN_JAVA}) and/or set JAVA_HOME to it."
    } >&2
    return 1
}

manaknight_find_maven() {
    local root=$1
    if [[ -x $root/mvnw ]]; then
        MANAKNIGHT_MVN=$root/mvnw
    elif MANAKNIGHT_MVN=$(command -v mvn 2>/dev/null); then
        :
    else
        echo "manaknight: needs Maven (mvn, 3.8.7 or newer) on PATH to build; e.g. apt-get install maven" >&2
        return 1
    fi
}
