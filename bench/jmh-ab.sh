#!/usr/bin/env bash
# jmh-ab.sh — two builds' JMH benchmarks, interleaved: A, B, A, B, … so that both share the
# machine's noise; prints every round's score per benchmark and the median of the per-round
# ratios B / A (for an average-time benchmark below 1 means B is faster).
#
#   bench/jmh-ab.sh A_JAR B_JAR [JMH_ARGS…]
#   e.g. bench/jmh-ab.sh /tmp/old/bench/target/benchmarks.jar bench/target/benchmarks.jar RequestBench
#
# Build each side's jar in its own checkout (`mvn -B -Pbench -pl bench -am -DskipTests package`).
# Knobs (environment): ROUNDS(3) QUIET_WAIT(60) OUT(bench/results/jmh-ab-<stamp>).
# Needs: a JDK 25 (found as the launcher finds it), python3 for the summary.
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"   # log, die, wait_quiet

[ $# -ge 2 ] || die "usage: bench/jmh-ab.sh A_JAR B_JAR [JMH_ARGS…]"
A_JAR=$(readlink -f "$1"); B_JAR=$(readlink -f "$2"); shift 2
[ -f "$A_JAR" ] || die "no jar $A_JAR"
[ -f "$B_JAR" ] || die "no jar $B_JAR"
ROUNDS=${ROUNDS:-3}
QUIET_WAIT=${QUIET_WAIT:-60}
BENCH="$(cd "$(dirname "$0")" && pwd)"
OUT=${OUT:-$BENCH/results/jmh-ab-$(date +%Y%m%d-%H%M%S)}
# the JDK the launcher finds (JAVA_HOME if it is 25+, else one under /usr/lib/jvm): the jars need 25
. "$BENCH/../bin/toolchain.sh" && manaknight_find_jdk || die "no JDK 25 found"
JAVA=$JAVA_HOME/bin/java
command -v python3 >/dev/null || die "missing python3"
mkdir -p "$OUT"

log "A=$A_JAR"
log "B=$B_JAR"
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
  for side in A B; do
    jar=$A_JAR; [ "$side" = B ] && jar=$B_JAR
    wait_quiet
    log "round $r side $side"
    "$JAVA" -jar "$jar" "$@" -rf json -rff "$OUT/$side-$r.json" >"$OUT/$side-$r.txt" 2>&1 \
      || die "JMH failed; see $OUT/$side-$r.txt"
    # JMH exits 0 when a benchmark throws (a jar built for a newer JDK than the one running it)
    if grep -q '<failure>' "$OUT/$side-$r.txt"; then die "a benchmark failed; see $OUT/$side-$r.txt"; fi
  done
done
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT" "$ROUNDS" <<'EOF'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def scores(side, r):
    with open(f"{out}/{side}-{r}.json") as f:
        return {b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1]:
                (b["primaryMetric"]["score"], b["primaryMetric"]["scoreUnit"]) for b in json.load(f)}
runs = {(s, r): scores(s, r) for s in "AB" for r in range(1, rounds + 1)}
print(f"| benchmark | unit | A per round | B per round | B/A per round | median B/A |")
print(f"| --- | --- | --- | --- | --- | --- |")
for name in sorted(runs[("A", 1)]):
    if not all(name in runs[(s, r)] for s in "AB" for r in range(1, rounds + 1)): continue
    unit = runs[("A", 1)][name][1]
    a = [runs[("A", r)][name][0] for r in range(1, rounds + 1)]
    b = [runs[("B", r)][name][0] for r in range(1, rounds + 1)]
    ratios = [y / x for x, y in zip(a, b)]
    fmt = lambda xs: ", ".join(f"{x:,.0f}" if x >= 100 else f"{x:.3g}" for x in xs)
    print(f"| {name} | {unit} | {fmt(a)} | {fmt(b)} | {', '.join(f'{x:.2f}' for x in ratios)} | **{statistics.median(ratios):.2f}** |")
EOF
log "raw results in $OUT"
