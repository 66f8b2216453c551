import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns bench/run.sh's raw measurements into the results JSON and the Markdown table.
 *
 * <pre>java -cp … Report RAW_FILE META_FILE OUT_JSON OUT_MD</pre>
 *
 * RAW_FILE has one measurement per line as {@code key=value} pairs separated by spaces
 * ({@code kind=load|ttft|start|aot_training}); META_FILE has {@code key=value} lines (values may
 * contain spaces). With several rounds, each figure is the median over the rounds.
 */
public final class Report {
    static final List<String> ORDER = List.of("direct", "nginx", "vertx", "portkey", "levee");
    static final Map<String, String> TITLES = Map.of("direct", "direct (floor)", "nginx", "nginx proxy_pass",
            "vertx", "bare Vert.x pass-through", "portkey", "Portkey AI Gateway", "levee", "levee");
    static final int[] CONNS = {64, 8, 1};

    final Map<String, String> meta;
    final List<Map<String, String>> raw;
    final StringBuilder md = new StringBuilder();

    Report(Map<String, String> meta, List<Map<String, String>> raw) {
        this.meta = meta;
        this.raw = raw;
    }

    public static void main(String[] args) throws IOException {
        List<Map<String, String>> raw = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                Map<String, String> m = new LinkedHashMap<>();
                for (String kv : line.trim().split("\\s+")) {
                    int eq = kv.indexOf('=');
                    m.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                raw.add(m);
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                meta.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        Report r = new Report(meta, raw);
        Files.writeString(Path.of(args[2]), r.json(), StandardCharsets.UTF_8);
        String md = r.markdown();
        Files.writeString(Path.of(args[3]), md, StandardCharsets.UTF_8);
        System.out.print(md);
    }

    // ---- aggregation -------------------------------------------------------------------------

    /** The per-round figures of one (mode, contender, connections), derived from the raw counters. */
    List<Map<String, Double>> rounds(String mode, String contender, int conns) {
        List<Map<String, Double>> out = new ArrayList<>();
        for (Map<String, String> r : raw) {
            if ("load".equals(r.get("kind")) && mode.equals(r.get("mode")) && contender.equals(r.get("contender"))
                    && String.valueOf(conns).equals(r.get("conns"))) {
                Map<String, Double> f = new LinkedHashMap<>();
                double requests = num(r, "requests");
                double seconds = num(r, "duration_us") / 1e6;
                double tick = 1e6 / num(r, "clk_tck");
                double errors = num(r, "err_connect") + num(r, "err_read") + num(r, "err_write")
                        + num(r, "err_status") + num(r, "err_timeout");
                f.put("requests", requests);
                f.put("seconds", seconds);
                f.put("rps", requests / seconds);
                f.put("p50_ms", num(r, "p50_us") / 1e3);
                f.put("p90_ms", num(r, "p90_us") / 1e3);
                f.put("p99_ms", num(r, "p99_us") / 1e3);
                f.put("max_ms", num(r, "max_us") / 1e3);
                f.put("errors", errors);
                if (r.containsKey("proxy_cpu_ticks")) {
                    f.put("cpu_us_per_request", num(r, "proxy_cpu_ticks") * tick / requests);
                    f.put("rss_mib", num(r, "rss_kib") / 1024);
                    if (r.containsKey("rss_peak_kib")) { // runs before the peak was recorded have none
                        f.put("rss_peak_mib", num(r, "rss_peak_kib") / 1024);
                    }
                }
                f.put("upstream_cpu_us_per_request", num(r, "upstream_cpu_ticks") * tick / requests);
                f.put("machine_idle_pct", num(r, "idle_pct"));
                out.add(f);
            }
        }
        return out;
    }

    /** Medians over the rounds; empty when the contender did not run. */
    Map<String, Double> figures(String mode, String contender, int conns) {
        List<Map<String, Double>> rounds = rounds(mode, contender, conns);
        Map<String, Double> out = new LinkedHashMap<>();
        if (rounds.isEmpty()) {
            return out;
        }
        for (String key : rounds.get(0).keySet()) {
            out.put(key, median(rounds.stream().mapToDouble(m -> m.get(key)).toArray()));
        }
        out.put("rounds", (double) rounds.size());
        return out;
    }

    Map<String, String> ttft(String contender) {
        for (Map<String, String> r : raw) {
            if ("ttft".equals(r.get("kind")) && contender.equals(r.get("contender"))) {
                return r;
            }
        }
        return Map.of();
    }

    Map<String, String> start(String variant) {
        for (Map<String, String> r : raw) {
            if ("start".equals(r.get("kind")) && variant.equals(r.get("variant"))) {
                return r;
            }
        }
        return Map.of();
    }

    List<String> modes() {
        List<String> modes = new ArrayList<>();
        for (String m : List.of("json", "sse")) {
            if (raw.stream().anyMatch(r -> "load".equals(r.get("kind")) && m.equals(r.get("mode")))) {
                modes.add(m);
            }
        }
        return modes;
    }

    List<String> contenders(String mode) {
        return ORDER.stream().filter(c -> !figures(mode, c, 64).isEmpty()).toList();
    }

    /** Added latency over direct at p50 (ms), or NaN. */
    double added(String mode, String contender, int conns) {
        Map<String, Double> c = figures(mode, contender, conns);
        Map<String, Double> d = figures(mode, "direct", conns);
        if (c.isEmpty() || d.isEmpty()) {
            return Double.NaN;
        }
        return c.get("p50_ms") - d.get("p50_ms");
    }

    // ---- Markdown ----------------------------------------------------------------------------

    String markdown() {
        line("## levee benchmark — " + meta.getOrDefault("started_at", "?")
                + ("1".equals(meta.get("quick")) ? " (quick smoke settings: not for quoting)" : ""));
        line("");
        String rounds = meta.getOrDefault("rounds", "1");
        line("One run on one machine: " + meta.getOrDefault("machine", "?") + ". Every process (load generator, mock"
                + " upstream, proxy) shares the same cores; nothing is pinned. wrk with "
                + meta.getOrDefault("wrk_threads", "2 threads") + ", " + meta.getOrDefault("duration_s", "?")
                + " s per measurement after a warm-up at 64 connections of at least " + meta.getOrDefault("warmup_s", "?")
                + " s, continued in 5 s slices until the rate was steady within 3 % (at most "
                + meta.getOrDefault("warmup_max_s", "?") + " s; taken: " + meta.getOrDefault("warmups", "?").trim() + ")"
                + ("1".equals(rounds) ? "" : "; " + rounds + " rounds, medians") + "."
                + (meta.containsKey("levee_command") ? " levee: `" + meta.get("levee_command") + "` on "
                        + meta.getOrDefault("levee_java", "?")
                        + (meta.getOrDefault("levee_java_opts", "").isBlank() ? "" : " with `" + meta.get("levee_java_opts") + "`")
                        + "." : ""));
        for (String mode : modes()) {
            modeTable(mode);
        }
        ttftTable();
        coldTable();
        startTable();
        line("");
        line("**Reading the table.** *added p50* is the contender's median latency minus direct's at the same"
                + " number of connections: the time the proxy adds to a request when the machine is not saturated"
                + " (c=8, c=1). At c=64 wrk is closed-loop and the machine is saturated, so p50 ≈ 64 / RPS and says"
                + " little about the proxy alone. *CPU/req* is the proxy's process-tree CPU time (user+system from"
                + " /proc/PID/stat, all nginx workers, all node processes) over the measured c=64 window divided by"
                + " the requests completed in it; it does not include the load generator or the mock. *RSS* is VmRSS"
                + " summed over the process tree at the end of the c=64 load, and its peak (VmHWM) since the proxy"
                + " started. Ratios are levee ÷ peer, so an RPS"
                + " ratio above 1 and a CPU ratio below 1 favour levee.");
        String notes = meta.get("notes");
        if (notes != null && !notes.isBlank()) {
            line("");
            line("**Notes.** " + notes);
        }
        return md.toString();
    }

    void modeTable(String mode) {
        line("");
        line("### " + ("json".equals(mode) ? "JSON (`stream: false`)" : "SSE (`stream: true`, ~20 chunks + usage)"));
        line("");
        line("| contender | RPS @64 | p50 / p99 @64 | p50 / p99 @8 | p50 / p99 @1 | added p50 @8 | added p50 @1"
                + " | CPU/req | RSS end / peak | errors |");
        line("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        for (String c : contenders(mode)) {
            Map<String, Double> f64 = figures(mode, c, 64);
            StringBuilder row = new StringBuilder("| " + TITLES.get(c) + " | " + fmt0(f64.get("rps")));
            double errors = 0;
            for (int conns : CONNS) {
                Map<String, Double> f = figures(mode, c, conns);
                row.append(" | ").append(f.isEmpty() ? "–" : ms(f.get("p50_ms")) + " / " + ms(f.get("p99_ms")));
                errors += f.getOrDefault("errors", 0.0);
            }
            for (int conns : new int[] {8, 1}) {
                row.append(" | ").append("direct".equals(c) ? "–" : us(added(mode, c, conns)));
            }
            row.append(" | ").append(f64.containsKey("cpu_us_per_request")
                    ? fmt0(f64.get("cpu_us_per_request")) + " µs" : "–");
            row.append(" | ").append(f64.containsKey("rss_mib") ? fmt0(f64.get("rss_mib"))
                    + (f64.containsKey("rss_peak_mib") ? " / " + fmt0(f64.get("rss_peak_mib")) : "") + " MiB" : "–");
            row.append(" | ").append(fmt0(errors)).append(" |");
            line(row.toString());
        }
        if (contenders(mode).contains("levee")) {
            line("");
            line("levee ÷ peer (" + mode.toUpperCase(Locale.ROOT) + "):");
            line("");
            line("| peer | RPS @64 | CPU/req | added p50 @8 (levee vs peer) | added p50 @1 (levee vs peer) |");
            line("|---|--:|--:|--:|--:|");
            for (String peer : List.of("nginx", "vertx", "portkey")) {
                if (!contenders(mode).contains(peer)) {
                    continue;
                }
                Map<String, Double> l = figures(mode, "levee", 64);
                Map<String, Double> p = figures(mode, peer, 64);
                line("| " + TITLES.get(peer) + " | " + ratio(l.get("rps"), p.get("rps")) + " | "
                        + ratio(l.get("cpu_us_per_request"), p.get("cpu_us_per_request")) + " | "
                        + addedPair(mode, peer, 8) + " | " + addedPair(mode, peer, 1) + " |");
            }
        }
    }

    String addedPair(String mode, String peer, int conns) {
        double l = added(mode, "levee", conns);
        double p = added(mode, peer, conns);
        return us(l) + " vs " + us(p) + (p > 0.001 && l > 0 ? " (" + ratio(l, p) + ")" : "");
    }

    void ttftTable() {
        List<String> present = ORDER.stream().filter(c -> !ttft(c).isEmpty()).toList();
        if (present.isEmpty()) {
            return;
        }
        line("");
        line("### Time to first token (SSE, one request at a time on a keep-alive connection, "
                + ttft(present.get(0)).get("n") + " requests)");
        line("");
        line("| contender | TTFT p50 | TTFT p90 | added p50 over direct | whole stream p50 |");
        line("|---|--:|--:|--:|--:|");
        double direct = ttft("direct").isEmpty() ? Double.NaN : num(ttft("direct"), "ttft_p50_us") / 1e3;
        for (String c : present) {
            Map<String, String> t = ttft(c);
            double p50 = num(t, "ttft_p50_us") / 1e3;
            line("| " + TITLES.get(c) + " | " + ms(p50) + " | " + ms(num(t, "ttft_p90_us") / 1e3) + " | "
                    + ("direct".equals(c) ? "–" : us(p50 - direct)) + " | " + ms(num(t, "total_p50_us") / 1e3) + " |");
        }
    }

    /** The overhead curve of levee's first requests after fresh starts: a column per round, and their median. */
    void coldTable() {
        List<Map<String, String>> rounds = raw.stream().filter(r -> "cold".equals(r.get("kind"))).toList();
        if (rounds.isEmpty()) {
            return;
        }
        line("");
        line("### levee's first requests after a fresh start (JSON, 1 connection, added latency over direct)");
        line("");
        StringBuilder head = new StringBuilder("| requests |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Map<String, String> r : rounds) {
            head.append(" round ").append(r.get("round")).append(" |");
            rule.append("--:|");
        }
        line(head + (rounds.size() > 1 ? " median |" : ""));
        line(rule + (rounds.size() > 1 ? "--:|" : ""));
        List<String> keys = new ArrayList<>();
        rounds.get(0).keySet().stream().filter(k -> k.matches("r\\d+_\\d+_us")).forEach(keys::add);
        keys.addAll(List.of("from16_us", "last200_us"));
        for (String k : keys) {
            String label = switch (k) {
                case "from16_us" -> "from the 16th on";
                case "last200_us" -> "the last 200";
                default -> k.substring(1, k.length() - 3).replace('_', '–');
            };
            StringBuilder row = new StringBuilder("| " + label + " |");
            double[] values = rounds.stream().mapToDouble(r -> num(r, k)).toArray();
            for (double v : values) {
                row.append(' ').append(us(v / 1e3)).append(" |");
            }
            line(row + (rounds.size() > 1 ? " " + us(median(values) / 1e3) + " |" : ""));
        }
        line("");
        line("Medians of per-request differences within each range; the gateway and direct requests alternate,"
                + " each on its own keep-alive connection.");
    }

    void startTable() {
        Map<String, String> jit = start("jit");
        Map<String, String> aot = start("aot");
        if (jit.isEmpty() && aot.isEmpty()) {
            return;
        }
        line("");
        line("### levee start → `/health` 200 (" + meta.getOrDefault("levee_java", "?") + ")");
        line("");
        line("| variant | median | min | max | runs |");
        line("|---|--:|--:|--:|--:|");
        String command = meta.getOrDefault("start_command", "levee serve");
        for (var e : List.of(Map.entry("`" + command + "` as shipped (on JDK 25, with the cache the launcher trains once per build)",
                        start("launcher")),
                Map.entry("`LEVEE_AOT=0 " + command + "` (no AOT cache)", jit),
                Map.entry("the same with a cache trained on this config (`-XX:AOTCache=…`)", aot),
                Map.entry("`java -jar levee.jar serve` (no launcher)", start("jit_java")),
                Map.entry("`java -XX:AOTCache=… -jar levee.jar serve` (no launcher)", start("aot_java")))) {
            Map<String, String> s = e.getValue();
            if (!s.isEmpty()) {
                line("| " + e.getKey() + " | " + fmt0(num(s, "median_ms")) + " ms | " + fmt0(num(s, "min_ms")) + " ms | "
                        + fmt0(num(s, "max_ms")) + " ms | " + s.get("runs") + " |");
            }
        }
        for (Map<String, String> r : raw) {
            if ("aot_training".equals(r.get("kind"))) {
                line("");
                line("AOT cache: one training run (start, " + r.getOrDefault("requests", "?")
                        + " JSON and SSE requests, SIGTERM) took " + fmt1(num(r, "seconds")) + " s and wrote "
                        + fmt0(num(r, "cache_bytes") / 1048576) + " MiB.");
            }
        }
    }

    // ---- JSON --------------------------------------------------------------------------------

    String json() {
        Json j = new Json();
        j.open('{');
        j.key("schema").value(1);
        j.key("settings").open('{');
        meta.forEach((k, v) -> {
            if (!k.startsWith("embed.")) {
                j.key(k).value(v);
            }
        });
        j.close('}');
        // Files named by "embed.NAME=PATH" meta lines (levee's /levee/stats after each mode), as they are.
        j.key("embedded").open('{');
        meta.forEach((k, v) -> {
            if (k.startsWith("embed.")) {
                try {
                    String text = Files.readString(Path.of(v), StandardCharsets.UTF_8).trim();
                    if (text.startsWith("{") && text.endsWith("}")) {
                        j.key(k.substring(6)).verbatim(text);
                    }
                } catch (IOException e) {
                    // a missing snapshot is left out
                }
            }
        });
        j.close('}');
        j.key("definitions").open('{');
        j.key("rps").value("completed requests / measured seconds (wrk, closed loop)");
        j.key("p50_ms, p99_ms").value("wrk latency percentiles over the whole response");
        j.key("added_p50_ms").value("contender p50 minus direct p50 at the same connections");
        j.key("cpu_us_per_request").value("proxy process-tree utime+stime delta over the window / requests");
        j.key("upstream_cpu_us_per_request").value("the mock nginx's CPU per request in the same window");
        j.key("rss_mib").value("VmRSS summed over the proxy's process tree at the end of the load");
        j.key("rss_peak_mib").value("VmHWM (peak resident set since start) summed over the proxy's process tree");
        j.key("machine_idle_pct").value("idle share of all cores over the window, from /proc/stat");
        j.close('}');
        j.key("modes").open('{');
        for (String mode : modes()) {
            j.key(mode).open('{');
            j.key("contenders").open('{');
            for (String c : contenders(mode)) {
                j.key(c).open('{');
                for (int conns : CONNS) {
                    Map<String, Double> f = figures(mode, c, conns);
                    if (!f.isEmpty()) {
                        j.key("c" + conns).open('{');
                        f.forEach((k, v) -> j.key(k).value(v));
                        if (!"direct".equals(c) && conns != 64) {
                            j.key("added_p50_ms").value(added(mode, c, conns));
                        }
                        j.close('}');
                    }
                }
                j.close('}');
            }
            j.close('}');
            if (contenders(mode).contains("levee")) {
                j.key("levee_ratios").open('{');
                for (String peer : List.of("nginx", "vertx", "portkey")) {
                    if (contenders(mode).contains(peer)) {
                        Map<String, Double> l = figures(mode, "levee", 64);
                        Map<String, Double> p = figures(mode, peer, 64);
                        j.key(peer).open('{');
                        j.key("rps_ratio").value(l.get("rps") / p.get("rps"));
                        j.key("cpu_per_request_ratio").value(l.get("cpu_us_per_request") / p.get("cpu_us_per_request"));
                        for (int conns : new int[] {8, 1}) {
                            j.key("added_p50_ms_c" + conns + "_levee").value(added(mode, "levee", conns));
                            j.key("added_p50_ms_c" + conns + "_peer").value(added(mode, peer, conns));
                        }
                        j.close('}');
                    }
                }
                j.close('}');
            }
            j.close('}');
        }
        j.close('}');
        j.key("ttft").open('{');
        for (String c : ORDER) {
            Map<String, String> t = ttft(c);
            if (!t.isEmpty()) {
                j.key(c).open('{');
                j.key("n").value(num(t, "n"));
                j.key("ttft_p50_ms").value(num(t, "ttft_p50_us") / 1e3);
                j.key("ttft_p90_ms").value(num(t, "ttft_p90_us") / 1e3);
                j.key("ttft_min_ms").value(num(t, "ttft_min_us") / 1e3);
                j.key("total_p50_ms").value(num(t, "total_p50_us") / 1e3);
                j.close('}');
            }
        }
        j.close('}');
        j.key("startup").open('{');
        for (Map<String, String> r : raw) {
            if ("start".equals(r.get("kind")) || "aot_training".equals(r.get("kind"))) {
                j.key("start".equals(r.get("kind")) ? r.get("variant") : "aot_training").open('{');
                r.forEach((k, v) -> {
                    if (!k.equals("kind") && !k.equals("variant")) {
                        j.key(k).raw(v);
                    }
                });
                j.close('}');
            }
        }
        j.close('}');
        j.key("raw").open('[');
        for (Map<String, String> r : raw) {
            j.open('{');
            r.forEach((k, v) -> j.key(k).raw(v));
            j.close('}');
        }
        j.close(']');
        j.close('}');
        return j.toString() + "\n";
    }

    // ---- helpers -----------------------------------------------------------------------------

    void line(String s) {
        md.append(s).append('\n');
    }

    static double num(Map<String, String> m, String key) {
        String v = m.get(key);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static String fmt0(Double d) {
        return d == null || d.isNaN() ? "–" : String.format(Locale.ROOT, "%,.0f", d);
    }

    static String fmt1(double d) {
        return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%.1f", d);
    }

    /** Milliseconds with precision that suits the size. */
    static String ms(Double d) {
        if (d == null || d.isNaN()) {
            return "–";
        }
        return String.format(Locale.ROOT, d < 1 ? "%.3f ms" : d < 10 ? "%.2f ms" : "%.1f ms", d);
    }

    /** A latency difference in microseconds (input in milliseconds). */
    static String us(double ms) {
        return Double.isNaN(ms) ? "–" : String.format(Locale.ROOT, "%+,.0f µs", ms * 1e3);
    }

    static String ratio(Double a, Double b) {
        if (a == null || b == null || a.isNaN() || b.isNaN() || b == 0) {
            return "–";
        }
        double r = a / b;
        return String.format(Locale.ROOT, r < 10 ? "%.2f×" : "%.0f×", r);
    }

    /** A tiny JSON writer: enough for objects, arrays, strings and numbers. */
    static final class Json {
        private final StringBuilder b = new StringBuilder();
        private final List<Boolean> first = new ArrayList<>();
        private boolean afterKey;

        Json open(char c) {
            comma();
            b.append(c);
            first.add(true);
            return this;
        }

        Json close(char c) {
            first.remove(first.size() - 1);
            b.append(c);
            return this;
        }

        Json key(String k) {
            comma();
            b.append(quote(k)).append(':');
            afterKey = true;
            return this;
        }

        void value(String s) {
            comma();
            b.append(quote(s));
        }

        void value(double d) {
            comma();
            b.append(Double.isNaN(d) || Double.isInfinite(d) ? "null"
                    : d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d)
                    : String.format(Locale.ROOT, "%.4f", d));
        }

        /** A JSON document inserted as it is. */
        void verbatim(String json) {
            comma();
            b.append(json);
        }

        /** A raw token: a number as is, anything else quoted. */
        void raw(String v) {
            if (v.matches("-?\\d+(\\.\\d+)?")) {
                comma();
                b.append(v);
            } else {
                value(v);
            }
        }

        private void comma() {
            if (afterKey) {
                afterKey = false;
                return;
            }
            if (!first.isEmpty()) {
                if (!first.get(first.size() - 1)) {
                    b.append(',');
                }
                first.set(first.size() - 1, false);
            }
        }

        static String quote(String s) {
            StringBuilder q = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> q.append("\\\"");
                    case '\\' -> q.append("\\\\");
                    case '\n' -> q.append("\\n");
                    case '\t' -> q.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            q.append(String.format("\\u%04x", (int) c));
                        } else {
                            q.append(c);
                        }
                    }
                }
            }
            return q.append('"').toString();
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
