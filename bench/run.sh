#!/usr/bin/env bash
# levee's benchmark: levee side by side with the floor (a client straight to the mock upstream), a
# bare proxy (nginx proxy_pass) and a peer gateway (Portkey), in one run on one machine.
#
#   bench/run.sh [--quick] [--mode json|sse|both] [--duration S] [--warmup S] [--rounds N]
#                [--contenders direct,nginx,vertx,portkey,levee] [--no-startup] [--no-cold] [--cold-only] [--keep]
#
# Prints a Markdown report and writes bench/results/<time>[-quick].json and .md. See bench/README.md.
#
# Environment: LEVEE_BENCH_JAVA_HOME (the JDK levee runs on; default Temurin 25 when installed),
# LEVEE_BENCH_JAVA_OPTS (extra JVM options for levee, e.g. -Xmx128m), LEVEE_BENCH_NGINX_WORKERS
# (default auto), LEVEE_BENCH_AUTH=1 (levee with authentication on and a virtual key; use --no-startup),
# LEVEE_BENCH_LIMITS=local|redis (with LEVEE_BENCH_AUTH=1: the key gets every kind of limit, too high
# to refuse anything, so each request is reserved and settled — in process, or in the Redis at
# 127.0.0.1:6379), LEVEE_BENCH_SERVE_ARGS (more `levee serve` options, e.g. --warm-up 0).
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: '&' in ${x//p/r} replacements stays literal

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench")
# shellcheck source=bench/lib.sh
. "$bench/lib.sh"

# ---- options -------------------------------------------------------------------------------------

mode=both duration='' warmup='' rounds=1 quick=0 startup=1 cold=1 cold_only=0 keep=0 notes=''
contenders=direct,nginx,vertx,portkey,levee
usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=1 ;;
        --mode) mode=${2:?}; shift ;;
        --duration) duration=${2:?}; shift ;;
        --warmup) warmup=${2:?}; shift ;;
        --rounds) rounds=${2:?}; shift ;;
        --contenders) contenders=${2:?}; shift ;;
        --no-startup) startup=0 ;;
        --no-cold) cold=0 ;;
        --cold-only) cold_only=1 contenders=direct,levee startup=0 ;;
        --keep) keep=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
    shift
done
case $mode in json) modes=(json) ;; sse) modes=(sse) ;; both) modes=(json sse) ;; *) die "--mode json|sse|both" ;; esac
[ "$cold_only" = 1 ] && modes=() # only levee's first requests after fresh starts
if [ "$quick" = 1 ]; then
    duration=${duration:-3} warmup=${warmup:-3} ttft_n=30 start_n=2 cold_n=300 cold_rounds=1
    warmup_max=$warmup
else
    duration=${duration:-15} warmup=${warmup:-15} ttft_n=300 start_n=5 cold_n=2000 cold_rounds=3
    warmup_max=$((warmup > 120 ? warmup : 120))
fi
warmups=
IFS=, read -r -a selected <<<"$contenders"
for c in "${selected[@]}"; do
    case $c in direct | nginx | vertx | portkey | levee) ;; *) die "unknown contender '$c' (direct, nginx, vertx, portkey, levee)" ;; esac
done
wants() { [[ ",$contenders," == *",$1,"* ]]; }
# Fixed order whatever was asked: direct, nginx, vertx, portkey, levee.
order=()
for c in direct nginx vertx portkey levee; do wants "$c" && order+=("$c"); done
nginx_workers=${LEVEE_BENCH_NGINX_WORKERS:-auto}
[[ $duration =~ ^[0-9]+$ && $warmup =~ ^[0-9]+$ && $rounds =~ ^[1-9][0-9]*$ ]] || die "--duration, --warmup, --rounds take whole numbers"

# ---- what it needs -------------------------------------------------------------------------------

ensure_debian_packages
wants portkey && ensure_portkey
levee_java_home=${LEVEE_BENCH_JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}
tools_java=$(command -v java || echo "$levee_java_home/bin/java")

run=$(mktemp -d "${TMPDIR:-/tmp}/levee-bench.XXXXXX")
PIDS=()
cleanup() {
    local rc=$?
    stop_all
    if [ "$keep" = 1 ] || [ $rc -ne 0 ]; then
        echo "bench: logs and raw data kept in $run" >&2
    else
        rm -rf "$run"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$run/tools"
"$(dirname "$tools_java")/javac" --release 17 -d "$run/tools" "$bench"/tools/*.java
tool() { "$tools_java" -cp "$run/tools" "$@"; }

if wants levee || wants vertx; then
    echo "bench: preparing levee (the launcher builds levee.jar on first use or when sources changed)" >&2
    prepare_levee # sets levee_cmd (array), levee_desc, levee_jar
fi
if wants vertx; then
    prepare_vertx # compiles bench/vertx/BareProxy.java against levee.jar's Vert.x
fi

# Other work on the machine skews everything: say so in the report when the run starts on a busy one.
loadavg_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${loadavg_at_start%% *}" 'BEGIN { exit !(l > 1.0) }'; then
    notes+="The machine was busy when the run started (load average $loadavg_at_start): figures are noisy. "
    echo "bench: the machine is busy (load average $loadavg_at_start); figures will be noisy" >&2
fi
raw=$run/raw.txt
meta=$run/meta.txt
: >"$raw"
clk_tck=$(getconf CLK_TCK)
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
stamp=$(date -u +%Y%m%d-%H%M%S)

# ---- the mock upstream: one nginx for the whole run, /json/v1/… and /sse/v1/… -------------------

free_port
mock_port=$port
render_mock_conf "$run/mock.conf" "$mock_port"
start_nginx "$run/mock.conf" mock
mock_pid=$started_pid
wait_ready "http://127.0.0.1:$mock_port/health" 30 "$mock_pid" mock

# ---- load ----------------------------------------------------------------------------------------

# measure MODE CONTENDER CONNS ROUND URL PROXY_PID BODY_FILE [HEADER...]: one wrk run, one raw line.
measure() {
    local mode=$1 c=$2 conns=$3 round=$4 url=$5 pid=$6 body=$7
    shift 7
    local threads=2 cpu0 cpu1 up0 up1 idle0 total0 idle1 total1 out line rss= peak=
    [ "$conns" -lt 2 ] && threads=1
    cpu0=$( [ -n "$pid" ] && tree_cpu_ticks "$pid" || echo 0)
    up0=$(tree_cpu_ticks "$mock_pid")
    read -r idle0 total0 < <(machine_cpu)
    out=$(wrk -t "$threads" -c "$conns" -d "${duration}s" --timeout 10s -s "$bench/wrk/chat.lua" "$url" -- "$body" "$@" 2>&1) \
        || die "wrk failed against $c: $out"
    read -r idle1 total1 < <(machine_cpu)
    up1=$(tree_cpu_ticks "$mock_pid")
    if [ -n "$pid" ]; then
        cpu1=$(tree_cpu_ticks "$pid")
        rss=$(tree_rss_kib "$pid")
        peak=$(tree_rss_kib "$pid" VmHWM)
    fi
    line=$(grep '^WRK ' <<<"$out") || die "no summary from wrk against $c: $out"
    local proxy=""
    [ -n "$pid" ] && proxy="proxy_cpu_ticks=$((cpu1 - cpu0)) rss_kib=$rss rss_peak_kib=$peak"
    echo "kind=load mode=$mode contender=$c conns=$conns round=$round ${line#WRK } $proxy" \
        "upstream_cpu_ticks=$((up1 - up0)) clk_tck=$clk_tck idle_pct=$(( (idle1 - idle0) * 100 / (total1 - total0 > 0 ? total1 - total0 : 1) ))" >>"$raw"
    local rps p50
    rps=$(awk -v r="$(kv requests "$line")" -v d="$(kv duration_us "$line")" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
    p50=$(awk -v p="$(kv p50_us "$line")" 'BEGIN { printf "%.3f", p / 1e3 }')
    local errs
    errs=$(( $(kv err_connect "$line") + $(kv err_read "$line") + $(kv err_write "$line") + $(kv err_status "$line") + $(kv err_timeout "$line") ))
    printf '  %-8s c=%-3s %9s req/s  p50 %8s ms%s\n' "$c" "$conns" "$rps" "$p50" \
        "$([ "$errs" -gt 0 ] && echo "  ERRORS: $errs")" >&2
    trim_log "$c"
}

# Per contender: the URL, the process whose tree is measured, and the extra request headers.
declare -A url pid
declare -A hdrs
# The credential each contender is sent. LEVEE_BENCH_AUTH=1 measures levee with authentication on
# (a master key and a virtual key of its own, checked on every request) as well as its usage ledger,
# which `levee serve` always writes.
declare -A auth
if [ "${LEVEE_BENCH_AUTH:-0}" = 1 ] && wants levee; then
    export LEVEE_MASTER_KEY=bench-master-key-0123456789abcdef
    limit_args=()
    case ${LEVEE_BENCH_LIMITS:-} in
        '') ;;
        local|redis) limit_args=(--rpm 1000000000 --tpm 2000000000 --max-concurrent 1000000
                                 --budget-usd 1000000 --budget-period day) ;;
        *) die "LEVEE_BENCH_LIMITS must be local or redis" ;;
    esac
    bench_key=$(cd "$run" && JAVA_HOME=$levee_java_home "$repo/levee" keys create --name bench \
        "${limit_args[@]}" --no-color | head -1)
    [[ $bench_key == lv-* ]] || die "could not create a virtual key for the bench: $bench_key"
    auth[levee]="Authorization: Bearer $bench_key"
fi
# started CONTENDER PORT HEALTH_PATH TIMEOUT_S: records the process just started ($started_pid) and
# its URL, and waits until HEALTH_PATH answers.
started() {
    pid[$1]=$started_pid
    mode_pids+=("$started_pid")
    url[$1]=http://127.0.0.1:$2/v1/chat/completions
    wait_ready "http://127.0.0.1:$2$3" "$4" "$started_pid" "$1"
}
for mode in "${modes[@]}"; do
    echo "bench: mode $mode" >&2
    body=$bench/mock/request.json accept="Accept: application/json"
    [ "$mode" = sse ] && body=$bench/mock/request-stream.json accept="Accept: text/event-stream"
    url[direct]=http://127.0.0.1:$mock_port/$mode/v1/chat/completions pid[direct]=
    hdrs[direct]=""
    mode_pids=()
    if wants nginx; then
        free_port
        render_proxy_conf "$run/proxy-$mode.conf" "$port" "$mock_port" "$mode"
        start_nginx "$run/proxy-$mode.conf" "proxy-$mode"
        started nginx "$port" /health 30
    fi
    if wants vertx; then
        free_port
        start_vertx "$port" "$mode"
        started vertx "$port" /health 60
    fi
    if wants portkey; then
        free_port
        start_portkey "$port" "$mode"
        hdrs[portkey]="x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$mock_port/$mode/v1"
        started portkey "$port" / 60
    fi
    if wants levee; then
        free_port
        render_levee_conf "$run/levee-$mode.yaml" "$mock_port" "$mode"
        if [ "${LEVEE_BENCH_LIMITS:-}" = redis ]; then
            printf 'state:\n  redis: redis://127.0.0.1:6379\n  key_prefix: levee-bench-%s\n' "$$" >>"$run/levee-$mode.yaml"
        fi
        start_levee "$run/levee-$mode.yaml" "$port" "$mode"
        started levee "$port" /health 180
    fi
    for c in "${order[@]}"; do
        IFS='|' read -r -a extra <<<"${hdrs[$c]:-}"
        check_answer "$c" "$mode" "${url[$c]}" "$body" "$accept" "${auth[$c]:-Authorization: Bearer bench}" "${extra[@]}"
    done
    for round in $(seq 1 "$rounds"); do
        for c in "${order[@]}"; do
            IFS='|' read -r -a extra <<<"${hdrs[$c]:-}"
            args=("$accept" "${auth[$c]:-Authorization: Bearer bench}" "${extra[@]}")
            if [ "$round" = 1 ] && [ "$warmup" -gt 0 ]; then
                warm_up "$c" "${url[$c]}" "$body" "${args[@]}"
                trim_log "$c"
            fi
            for conns in 64 8 1; do
                measure "$mode" "$c" "$conns" "$round" "${url[$c]}" "${pid[$c]}" "$body" "${args[@]}"
            done
        done
    done
    if [ "$mode" = sse ]; then
        for c in "${order[@]}"; do
            IFS='|' read -r -a extra <<<"${hdrs[$c]:-}"
            out=$(tool Ttft "${url[$c]}" "$ttft_n" 20 "$body" "${auth[$c]:-Authorization: Bearer bench}" "${extra[@]}") \
                || die "time-to-first-token measurement failed against $c"
            echo "kind=ttft mode=sse contender=$c ${out#TTFT }" >>"$raw"
            echo "  $c: TTFT p50 $(awk -v v="$(kv ttft_p50_us "$out")" 'BEGIN { printf "%.3f", v / 1e3 }') ms" >&2
        done
    fi
    if wants levee; then
        # Every answer must have come from the mock: a fallback or an upstream error would flatter levee.
        stats=$run/levee-stats-$mode.json
        curl -sf "${url[levee]%/v1/chat/completions}/levee/stats" >"$stats" || true
        if grep -Eq '"rule_based_fallback"|"fallback_rate":(0\.0*[1-9]|[1-9])|"errors":[1-9]' "$stats"; then
            notes+="WARNING: in $mode mode levee reports fallbacks or upstream errors (levee_stats_$mode in the JSON). "
            echo "bench: WARNING: levee reports fallbacks or upstream errors in $mode mode" >&2
        fi
    fi
    for p in "${mode_pids[@]}"; do stop_pid "$p"; done
done
if wants levee && [ "$cold" = 1 ]; then
    measure_cold
fi
stop_pid "$mock_pid"

# ---- levee start-to-ready, without and with the AOT cache ---------------------------------------

if wants levee && [ "$startup" = 1 ]; then
    measure_startup
fi

# ---- report --------------------------------------------------------------------------------------

if wants levee && [ "$(stat -c %Y "$levee_jar")" != "$levee_jar_mtime" ]; then
    notes+="WARNING: the launcher rebuilt levee.jar during the run (sources changed): levee's figures may mix two builds. "
fi

{
    echo "started_at=$started_at"
    echo "quick=$quick"
    echo "modes=${modes[*]}"
    echo "duration_s=$duration"
    echo "warmup_s=$warmup"
    echo "warmup_max_s=$warmup_max"
    echo "warmups=$warmups"
    echo "rounds=$rounds"
    echo "wrk_threads=2 threads (1 at c=1)"
    echo "contenders=${order[*]}"
    echo "machine=$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
    echo "git_commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo '-dirty')"
    echo "wrk_version=$(wrk -v 2>&1 | head -1 | awk '{ print $2 }')"
    echo "nginx_version=$(nginx -v 2>&1 | sed 's|.*nginx/||')"
    echo "nginx_workers=$nginx_workers"
    wants portkey && echo "node_version=$(node --version)" && echo "portkey_version=$(portkey_version)"
    if wants levee; then
        echo "levee_command=$levee_desc"
        echo "levee_java=$(java_version "$levee_java_home/bin/java")"
        echo "levee_java_opts=${LEVEE_BENCH_JAVA_OPTS:-}"
        echo "levee_auth=$([ -n "${auth[levee]:-}" ] && echo on || echo off)"
        echo "start_command=$levee_desc"
    fi
    for mode in "${modes[@]}"; do
        if [ -s "$run/levee-stats-$mode.json" ]; then echo "embed.levee_stats_$mode=$run/levee-stats-$mode.json"; fi
    done
    echo "loadavg_at_start=$loadavg_at_start"
    echo "loadavg_at_end=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "notes=${notes:-}"
} >"$meta"
mkdir -p "$bench/results"
suffix=''
if [ "$quick" = 1 ]; then suffix=-quick; fi
tool Report "$raw" "$meta" "$bench/results/$stamp$suffix.json" "$bench/results/$stamp$suffix.md"
echo "bench: wrote bench/results/$stamp$suffix.json and .md" >&2
