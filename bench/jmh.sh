#!/usr/bin/env bash
# levee's JMH microbenchmarks (module levee-bench): builds the module and what it depends on, then
# runs the benchmarks with short settings and prints JMH's table.
#
#   bench/jmh.sh                         all benchmarks, short settings (~3 minutes)
#   bench/jmh.sh SseChunkRelay           benchmarks whose name matches a regex
#   bench/jmh.sh --full [REGEX]          the settings in the annotations (longer, steadier)
#   bench/jmh.sh -- -t 8 GatewayRoundTrip   anything after -- goes to JMH as is (here: 8 callers)
#
# Results also go to bench/results/jmh-<time>.json. Environment: LEVEE_BENCH_JAVA_HOME (the JDK the
# benchmarks run on; default Temurin 25 when installed), JMH_OPTS (replaces the short settings).
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench")

short="-wi 2 -w 2s -i 3 -r 2s -f 1"
opts=${JMH_OPTS-$short}
args=()
while [ $# -gt 0 ]; do
    case $1 in
        --full) opts=${JMH_OPTS-} ;;
        --) shift; args+=("$@"); break ;;
        -h | --help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) args+=("$1") ;;
    esac
    shift
done

java_home=${LEVEE_BENCH_JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}
java_home=${java_home:-${JAVA_HOME:-}}
[ -n "$java_home" ] && [ -x "$java_home/bin/java" ] || { echo "jmh.sh: no JDK found (set LEVEE_BENCH_JAVA_HOME)" >&2; exit 1; }

# Built with the JDK Maven already uses (Maven 3.8 on JDK 24+ warns about sun.misc.Unsafe).
echo "jmh.sh: building levee-bench…" >&2
log=$(mktemp "${TMPDIR:-/tmp}/levee-jmh-build.XXXXXX")
if ! (cd "$repo" && mvn -B -q -pl levee-bench -am package -DskipTests) >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "jmh.sh: the build failed (above)" >&2
    exit 1
fi
rm -f "$log"
jar=$(ls "$repo"/levee-bench/target/levee-bench-*.jar | head -1)
cp=$jar:$(cat "$repo/levee-bench/target/jmh-classpath.txt")

# JMH 1.37 reads field offsets through sun.misc.Unsafe, which JDK 24+ warns about at every start.
jvm=()
major=$("$java_home/bin/java" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }')
if [ "${major:-0}" -ge 24 ]; then
    jvm=(--sun-misc-unsafe-memory-access=allow)
    opts="$opts -jvmArgsPrepend --sun-misc-unsafe-memory-access=allow"
fi

mkdir -p "$bench/results"
out=$bench/results/jmh-$(date -u +%Y%m%d-%H%M%S).json
work=$(mktemp -d "${TMPDIR:-/tmp}/levee-jmh.XXXXXX") # levee writes its telemetry file to the working directory
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2086 # $opts holds several options on purpose
(cd "$work" && "$java_home/bin/java" "${jvm[@]}" -cp "$cp" org.openjdk.jmh.Main $opts -rf json -rff "$out" "${args[@]}")
echo "jmh.sh: results in ${out#"$repo"/}" >&2
