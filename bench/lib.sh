# Functions for bench/run.sh (sourced; uses its globals: bench, repo, run, raw, PIDS, mock_port…).
# shellcheck shell=bash

die() {
    echo "bench: $*" >&2
    exit 1
}

# The value of KEY in a "k=v k=v" line.
kv() {
    [[ " $2 " =~ [[:space:]]$1=([^[:space:]]+) ]] && echo "${BASH_REMATCH[1]}"
}

# ---- installing what the run needs ---------------------------------------------------------------

nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

ensure_debian_packages() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    [ -x "$nginx_bin" ] || missing+=(nginx-light)
    command -v curl >/dev/null || missing+=(curl)
    if wants portkey && ! command -v npm >/dev/null; then
        missing+=(nodejs npm)
    fi
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "missing ${missing[*]}: install them (sudo apt-get install -y ${missing[*]})"
    echo "bench: installing ${missing[*]} with apt-get" >&2
    # Debian's nginx package starts a system-wide nginx on port 80 unless policy-rc.d forbids
    # starting services; forbid it for the length of the install if nothing does yet.
    local policy=/usr/sbin/policy-rc.d made=0 ok=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# put here by levee bench/run.sh for one apt-get install\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        made=1
    fi
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; then
        ok=1
    fi
    [ "$made" = 1 ] && rm -f "$policy"
    [ "$ok" = 1 ] || die "apt-get install ${missing[*]} failed"
    nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
}

# Portkey from npm, as pinned by bench/portkey/package-lock.json (npm ci when the lock is newer).
ensure_portkey() {
    local dir=$bench/portkey
    if [ ! -f "$dir/node_modules/@portkey-ai/gateway/build/start-server.js" ] \
        || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        echo "bench: installing Portkey (npm ci in bench/portkey)" >&2
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in $dir"
    fi
}

portkey_version() {
    (cd "$bench/portkey/node_modules" && node -p "const v = p => JSON.parse(require('fs').readFileSync(p + '/package.json')).version;
        v('@portkey-ai/gateway') + ' (@hono/node-server ' + v('@hono/node-server') + ', @hono/node-ws ' + v('@hono/node-ws') + ')'")
}

java_version() {
    "$1" -version 2>&1 | sed -n 2p | sed 's/ *(build.*//'
}

# ---- processes -----------------------------------------------------------------------------------

# Sets $port to a loopback TCP port nobody listens on (and this run has not handed out).
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        [[ " ${used_ports:-} " == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            used_ports="${used_ports:-} $p"
            port=$p
            return 0
        fi
    done
}

# Whether a process exists and is not a zombie.
alive() {
    local s
    { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
    s=${s##*) }
    [ "${s%% *}" != Z ]
}

# SIGTERM, up to 30 s for a clean exit, then SIGKILL; always by PID.
stop_pid() {
    local p=$1 i
    if alive "$p"; then
        kill -TERM "$p" 2>/dev/null || true
        for ((i = 0; i < 300; i++)); do
            alive "$p" || break
            sleep 0.1
        done
        if alive "$p"; then
            echo "bench: $p ignored SIGTERM for 30 s; killing it" >&2
            kill -KILL "$p" 2>/dev/null || true
        fi
    fi
    wait "$p" 2>/dev/null || true
    local rest=() q
    for q in "${PIDS[@]}"; do [ "$q" != "$p" ] && rest+=("$q"); done
    PIDS=("${rest[@]}")
}

stop_all() {
    local p
    for p in "${PIDS[@]}"; do stop_pid "$p"; done
}

# wait_ready URL TIMEOUT_S PID NAME: until URL answers 2xx; dies if the process exits first.
wait_ready() {
    local deadline=$((SECONDS + $2))
    until curl -sf -o /dev/null --max-time 2 "$1"; do
        alive "$3" || die "$4 exited before it was ready; its log: $(ls "$run"/*.log 2>/dev/null | tr '\n' ' ')"
        [ $SECONDS -lt $deadline ] || die "$4 was not ready at $1 within $2 s"
        sleep 0.1
    done
}

# ---- config files --------------------------------------------------------------------------------

# An nginx `return` text: quoted for the config, split into pieces under nginx's 4 KiB parameter
# limit and joined back with variables from `map` blocks. Sets $maps and $vars.
nginx_text() {
    local name=$1 text=$2 piece i=0
    maps="" vars=""
    [[ $text == *'$'* ]] && die "a mock body must not contain '\$' (nginx would read a variable)"
    text=${text//\\/\\\\}
    text=${text//\'/\\\'}
    while [ -n "$text" ]; do
        piece=${text:0:3000}
        # Never cut an escape sequence in two.
        while [ "${piece: -1}" = '\' ]; do piece=${text:0:$((${#piece} + 1))}; done
        text=${text:${#piece}}
        i=$((i + 1))
        maps+="    map \"\" \$${name}_$i { default '$piece'; }"$'\n'
        vars+="\$${name}_$i"
    done
}

render_mock_conf() {
    local conf json_maps json_vars sse_maps sse_vars
    nginx_text json "$(cat "$bench/mock/completion.json")"
    json_maps=$maps json_vars=$vars
    nginx_text sse "$(cat "$bench/mock/stream.sse")"$'\n\n'
    sse_maps=$maps sse_vars=$vars
    conf=$(cat "$bench/nginx/mock.conf")
    conf=${conf//@WORKERS@/$nginx_workers}
    conf=${conf//@RUN@/$run}
    conf=${conf//@PORT@/$2}
    conf=${conf//@BODY_MAPS@/$json_maps$sse_maps}
    conf=${conf//@JSON_BODY@/$json_vars}
    conf=${conf//@SSE_BODY@/$sse_vars}
    mkdir -p "$run/mock-tmp"
    printf '%s\n' "$conf" >"$1"
}

render_proxy_conf() { # FILE PORT MOCK_PORT MODE
    local conf
    conf=$(cat "$bench/nginx/proxy.conf")
    conf=${conf//@WORKERS@/$nginx_workers}
    conf=${conf//@RUN@/$run}
    conf=${conf//@PORT@/$2}
    conf=${conf//@MOCK_PORT@/$3}
    conf=${conf//@MODE@/$4}
    mkdir -p "$run/proxy-tmp"
    printf '%s\n' "$conf" >"$1"
}

render_levee_conf() { # FILE MOCK_PORT MODE
    local conf
    conf=$(cat "$bench/levee/bench.yaml")
    conf=${conf//@MOCK_PORT@/$2}
    conf=${conf//@MODE@/$3}
    printf '%s\n' "$conf" >"$1"
}

# ---- contenders ----------------------------------------------------------------------------------

# Each start_* runs the process in the background as a child of this shell and sets $started_pid.

start_nginx() { # CONF NAME
    "$nginx_bin" -t -q -p "$run" -c "$1" -e "$run/$2-error.log" || die "nginx rejected $1"
    "$nginx_bin" -p "$run" -c "$1" -e "$run/$2-error.log" >>"$run/$2.log" 2>&1 &
    started_pid=$!
    PIDS+=("$started_pid")
}

start_portkey() { # PORT MODE
    # Portkey's start script listens on all interfaces; loopback.mjs binds it to 127.0.0.1.
    (cd "$bench/portkey" && NODE_ENV=production exec node --import ./loopback.mjs \
        node_modules/@portkey-ai/gateway/build/start-server.js --port="$1" --headless) >>"$run/portkey-$2.log" 2>&1 &
    started_pid=$!
    PIDS+=("$started_pid")
}

# levee_cmd: `levee serve` through the launcher at the repo root (JAVA_HOME picks the JDK,
# LEVEE_JAVA_OPTS passes JVM options; it builds levee-cli/target/levee.jar when sources changed).
prepare_levee() {
    [ -x "$levee_java_home/bin/java" ] || die "no JDK for levee (set LEVEE_BENCH_JAVA_HOME; Temurin 25 is the reference)"
    if ! JAVA_HOME=$levee_java_home "$repo/levee" serve --help >"$run/levee-serve-help.txt" 2>&1; then
        cat "$run/levee-serve-help.txt" >&2
        die "'levee serve' is not available (above)"
    fi
    levee_cmd=("$repo/levee" serve)
    levee_desc="./levee serve --config FILE --port N"
    levee_jar=$repo/levee-cli/target/levee.jar
    levee_jar_mtime=$(stat -c %Y "$levee_jar")
}

start_levee() { # CONFIG PORT LOGNAME [EXTRA_JAVA_OPTS]
    : >"$run/levee-$3.log"
    (cd "$run" && JAVA_HOME=$levee_java_home LEVEE_JAVA_OPTS="${LEVEE_BENCH_JAVA_OPTS:-} ${4:-}" NO_COLOR=1 \
        LEVEE_AOT=${launcher_aot:-1} exec "${levee_cmd[@]}" --config "$1" --port "$2" ${LEVEE_BENCH_SERVE_ARGS:-}) \
        >>"$run/levee-$3.log" 2>&1 &
    started_pid=$!
    PIDS+=("$started_pid")
}

# The vertx contender: bench/vertx/BareProxy.java, compiled against levee.jar so that it runs the
# same Vert.x and Netty as levee, on the same JDK with the launcher's heap, collector and, on JDK 24
# and 25, its permission for Netty to use sun.misc.Unsafe.
prepare_vertx() {
    vertx_opts=(-Xms128m -Xmx192m -XX:+UseSerialGC -XX:SurvivorRatio=4)
    case $("$levee_java_home/bin/java" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }') in
        24 | 24.* | 25 | 25.*) vertx_opts+=(--sun-misc-unsafe-memory-access=allow) ;;
    esac
    mkdir -p "$run/vertx"
    "$levee_java_home/bin/javac" --release 17 -nowarn -cp "$levee_jar" -d "$run/vertx" "$bench/vertx/BareProxy.java" \
        || die "could not compile bench/vertx/BareProxy.java"
}

start_vertx() { # PORT MODE
    (cd "$run" && exec "$levee_java_home/bin/java" "${vertx_opts[@]}" ${LEVEE_BENCH_JAVA_OPTS:-} \
        -cp "$levee_jar:$run/vertx" BareProxy "$1" "$mock_port" "/$2/v1/chat/completions") \
        >>"$run/vertx-$2.log" 2>&1 &
    started_pid=$!
    PIDS+=("$started_pid")
}

# warm_up CONTENDER URL BODY_FILE [HEADER...]: load at c=64 for at least $warmup seconds, then on
# in 5 s slices until two slices in a row agree within 3 % on RPS (a JIT still compiling, or node's
# optimiser, shows as a rising rate), or until $warmup_max seconds in all.
warm_up() {
    local c=$1 u=$2 body=$3 out r prev=0 spent
    shift 3
    echo "  $c: warm-up at c=64 (≥ ${warmup}s, until the rate is steady, ≤ ${warmup_max}s)" >&2
    wrk -t 2 -c 64 -d "${warmup}s" --timeout 10s -s "$bench/wrk/chat.lua" "$u" -- "$body" "$@" >/dev/null 2>&1 || true
    spent=$warmup
    while [ "$spent" -lt "$warmup_max" ]; do
        out=$(wrk -t 2 -c 64 -d 5s --timeout 10s -s "$bench/wrk/chat.lua" "$u" -- "$body" "$@" 2>&1 | grep '^WRK ') || true
        r=$(kv requests "$out")
        r=${r:-0}
        spent=$((spent + 5))
        if [ "$prev" -gt 0 ] && [ $((r > prev ? r - prev : prev - r)) -le $((prev * 3 / 100)) ]; then
            break
        fi
        prev=$r
    done
    echo "  $c: warmed up in ${spent}s" >&2
    warmups+="$c/$mode=${spent}s "
}

# levee logs two INFO lines per request: keep only the tail of its console log between measurements.
trim_log() {
    local f
    for f in "$run"/levee-*.log; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -gt 1048576 ] || continue
        tail -c 262144 "$f" >"$f.tail"
        : >"$f"
    done
}

# check_answer CONTENDER MODE URL BODY_FILE [HEADER...]: one request must bring the mock's answer.
check_answer() {
    local c=$1 mode=$2 u=$3 body=$4 h code
    shift 4
    local args=() out=$run/answer-$c-$mode
    for h in "$@"; do args+=(-H "$h"); done
    code=$(curl -sS --max-time 10 -o "$out.body" -D "$out.headers" -w '%{http_code}' "${args[@]}" \
        -H 'Content-Type: application/json' --data-binary "@$body" "$u") || die "$c ($mode): the request failed"
    [ "$code" = 200 ] || die "$c ($mode): HTTP $code: $(head -c 600 "$out.body")"
    grep -q 'callers' "$out.body" && grep -q 'fast\.' "$out.body" \
        || die "$c ($mode): the answer is not the mock's: $(head -c 600 "$out.body")"
    if [ "$mode" = sse ]; then
        grep -q '^data: \[DONE\]' "$out.body" || die "$c (sse): no data: [DONE] in $out.body"
        [ "$(grep -c '^data: {' "$out.body")" -ge 20 ] || die "$c (sse): fewer than 20 chunks in $out.body"
    fi
    if [ "$c" = levee ]; then
        grep -qi '^x-levee-fallback-level: *0' "$out.headers" \
            || die "levee ($mode): not answered by its mock tier: $(cat "$out.headers")"
    fi
}

# ---- /proc accounting ----------------------------------------------------------------------------

# A process and all its descendants.
tree_pids() {
    ps -e -o pid= -o ppid= | awk -v root="$1" '
        { kids[$2] = kids[$2] " " $1 }
        END {
            n = split(root, q, " ")
            for (i = 1; i <= n; i++) {
                print q[i]
                m = split(kids[q[i]], k, " ")
                for (j = 1; j <= m; j++) q[++n] = k[j]
            }
        }'
}

# utime + stime (clock ticks) summed over a process tree.
tree_cpu_ticks() {
    local total=0 p stat
    for p in $(tree_pids "$1"); do
        { read -r stat <"/proc/$p/stat"; } 2>/dev/null || continue
        # shellcheck disable=SC2086
        set -- ${stat##*) }
        total=$((total + ${12} + ${13}))
    done
    echo "$total"
}

# VmRSS (KiB) summed over a process tree; with a second argument, that field instead (VmHWM: each
# process's peak resident set since it started).
tree_rss_kib() {
    local total=0 p v field=${2:-VmRSS}
    for p in $(tree_pids "$1"); do
        v=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$p/status" 2>/dev/null)
        total=$((total + ${v:-0}))
    done
    echo "$total"
}

# "IDLE TOTAL" jiffies of all cores.
machine_cpu() {
    local _ u n s idle iow irq sirq steal
    read -r _ u n s idle iow irq sirq steal _ </proc/stat
    echo "$((idle + iow)) $((u + n + s + idle + iow + irq + sirq + steal))"
}

# ---- levee's first requests ----------------------------------------------------------------------

# A fresh `levee serve` per round, as a harness that starts the gateway and measures at once would:
# ready, then ColdCurve's requests at one connection, each timed against the same request sent
# straight to the mock; appends "kind=cold mode=json round=R …" to the raw file.
measure_cold() {
    local round out conf=$run/levee-cold.yaml body=$bench/mock/request.json
    echo "bench: levee's first $cold_n requests after a fresh start, $cold_rounds rounds" >&2
    render_levee_conf "$conf" "$mock_port" json
    for round in $(seq 1 "$cold_rounds"); do
        free_port
        start_levee "$conf" "$port" "cold-$round"
        local p=$started_pid
        wait_ready "http://127.0.0.1:$port/health" 180 "$p" "levee (cold round $round)"
        out=$(tool ColdCurve "http://127.0.0.1:$mock_port/json/v1/chat/completions" \
            "http://127.0.0.1:$port/v1/chat/completions" "$cold_n" "$body" \
            "${auth[levee]:-Authorization: Bearer bench}") || die "ColdCurve failed in round $round"
        echo "kind=cold mode=json round=$round ${out#COLD }" >>"$raw"
        echo "  round $round: added from the 16th request $(kv from16_us "$out") us, the last 200 $(kv last200_us "$out") us" >&2
        stop_pid "$p"
    done
}

# ---- levee start-to-ready ------------------------------------------------------------------------

# StartTime over a command; appends "kind=start variant=NAME …" to the raw file.
start_runs() { # VARIANT EXTRA_OPTS COMMAND...
    local variant=$1 opts=$2 out
    shift 2
    echo "  $variant: $start_n starts" >&2
    out=$(cd "$run" && JAVA_HOME=$levee_java_home LEVEE_JAVA_OPTS="${LEVEE_BENCH_JAVA_OPTS:-} $opts" NO_COLOR=1 \
        LEVEE_AOT=${launcher_aot:-1} tool StartTime "$start_n" "$start_health" "$run/startup.log" -- "$@" --config "$start_conf" --port "$start_port") \
        || die "start-time measurement '$variant' failed; see $run/startup.log"
    echo "kind=start variant=$variant ${out#START }" >>"$raw"
}

measure_startup() {
    echo "bench: levee start → /health 200" >&2
    free_port
    start_port=$port
    start_conf=$run/levee-startup.yaml
    start_health=http://127.0.0.1:$start_port/health
    # Two routes, so that the AOT training run sees both the JSON and the SSE path.
    render_levee_conf "$start_conf" "$mock_port" json
    cat >>"$start_conf" <<EOF
  stream:
    tiers:
      - target: mock_sse/gpt-4o-mini
EOF
    sed -i "s|^providers:|providers:\n  mock_sse:\n    type: openai\n    base_url: http://127.0.0.1:$mock_port/sse/v1\n    api_key: bench|" "$start_conf"
    sed 's/"model":"default"/"model":"stream"/' "$bench/mock/request-stream.json" >"$run/request-stream-route.json"

    # As shipped: on JDK 25 the launcher starts with the AOT cache it trained for this build.
    start_runs launcher "" "${levee_cmd[@]}"
    # The launcher without its cache, then with one trained here on this config's traffic.
    launcher_aot=0
    start_runs jit "" "${levee_cmd[@]}"

    # One training run: start, a few seconds of JSON and SSE traffic, SIGTERM; the JVM writes the
    # cache as it exits (JEP 514's one-step -XX:AOTCacheOutput).
    local aot=$run/levee.aot t0 t1 train_s=$((quick ? 2 : 5)) tp out requests=0 r
    t0=$(date +%s%N)
    start_levee "$start_conf" "$start_port" aot-training "-XX:AOTCacheOutput=$aot"
    tp=$started_pid
    wait_ready "$start_health" 180 "$tp" "levee (AOT training run)"
    for body in "$bench/mock/request.json" "$run/request-stream-route.json"; do
        out=$(wrk -t 1 -c 4 -d "${train_s}s" -s "$bench/wrk/chat.lua" "http://127.0.0.1:$start_port/v1/chat/completions" \
            -- "$body" "Authorization: Bearer bench" 2>&1) || die "wrk failed in the AOT training run: $out"
        r=$(kv requests "$(grep '^WRK ' <<<"$out")")
        requests=$((requests + ${r:-0}))
    done
    stop_pid "$tp"
    t1=$(date +%s%N)
    [ -s "$aot" ] || die "the AOT training run wrote no cache; see $run/levee-aot-training.log"
    echo "kind=aot_training seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')" \
        "cache_bytes=$(stat -c %s "$aot") requests=$requests" >>"$raw"

    # AOTMode=on: fail instead of silently running without a cache that does not match.
    start_runs aot "-XX:AOTCache=$aot -XX:AOTMode=on" "${levee_cmd[@]}"
    # The same without the launcher (which probes the JDK and checks whether sources changed).
    local opts=()
    read -r -a opts <<<"${LEVEE_BENCH_JAVA_OPTS:-}"
    start_runs jit_java "" "$levee_java_home/bin/java" "${opts[@]}" -jar "$levee_jar" serve
    start_runs aot_java "" "$levee_java_home/bin/java" "${opts[@]}" "-XX:AOTCache=$aot" -XX:AOTMode=on \
        -jar "$levee_jar" serve
    launcher_aot=1
}
