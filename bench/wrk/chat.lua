-- wrk script for bench/run.sh: POSTs one fixed chat request and prints one summary line.
--
--   wrk -s chat.lua URL -- BODY_FILE ["Header: value" ...]
--
-- BODY_FILE is bench/mock/request.json or request-stream.json (model "default", levee's route name;
-- the mock, nginx and Portkey pass it through). The request is built once per thread (no Lua per
-- request), so the load generator stays as cheap as wrk can be.

function init(args)
    local file = assert(io.open(args[1], "rb"), "cannot read the body file " .. tostring(args[1]))
    wrk.method = "POST"
    wrk.body = file:read("*a")
    file:close()
    wrk.headers["Content-Type"] = "application/json"
    for i = 2, #args do
        local name, value = string.match(args[i], "^([^:]+):%s*(.*)$")
        if name == nil then
            error("expected 'Header: value', not " .. args[i])
        end
        wrk.headers[name] = value
    end
end

-- One machine-readable line (key=value, latencies in microseconds) for run.sh to collect.
function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "WRK requests=%d duration_us=%d bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d "
            .. "err_timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
        summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
