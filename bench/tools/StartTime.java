import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Start-to-ready time: starts a command RUNS times, each time timing from just before the process
 * is spawned to the first {@code 200} from the health URL (polled every 2 ms over a raw socket),
 * then stops it with SIGTERM and waits for it to exit before the next run.
 *
 * <pre>java -cp … StartTime RUNS HEALTH_URL LOG_FILE -- command args…</pre>
 *
 * The environment (JAVA_HOME, LEVEE_JAVA_OPTS…) is inherited. Prints one {@code START key=value …}
 * line (milliseconds) for bench/run.sh; exits 1 if a run never became ready.
 */
public final class StartTime {
    public static void main(String[] args) throws Exception {
        int sep = Arrays.asList(args).indexOf("--");
        if (args.length < 5 || sep != 3) {
            System.err.println("usage: StartTime RUNS HEALTH_URL LOG_FILE -- command args...");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[0]);
        URI health = URI.create(args[1]);
        File log = new File(args[2]);
        List<String> command = List.of(args).subList(4, args.length);
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
            long t0 = System.nanoTime();
            Process p = pb.start();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
            boolean ready = false;
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (healthy(health)) {
                    ready = true;
                    break;
                }
                Thread.sleep(2);
            }
            long t1 = System.nanoTime();
            stop(p);
            if (!ready) {
                System.err.println("StartTime: run " + (i + 1) + " never became ready (exit "
                        + (p.isAlive() ? "-" : String.valueOf(p.exitValue())) + "); see " + log);
                System.exit(1);
            }
            ms[i] = (t1 - t0) / 1e6;
            System.err.printf(Locale.ROOT, "  run %d: %.0f ms%n", i + 1, ms[i]);
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        StringBuilder all = new StringBuilder();
        for (double m : ms) {
            all.append(all.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", m));
        }
        System.out.printf(Locale.ROOT, "START runs=%d median_ms=%.1f min_ms=%.1f max_ms=%.1f all_ms=%s%n", runs, median,
                sorted[0], sorted[runs - 1], all);
    }

    /** SIGTERM, then a grace period, then SIGKILL — for the process and anything it started. */
    static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle c : children) {
            c.destroyForcibly();
        }
    }

    static boolean healthy(URI uri) {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 200);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            return new String(head, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }
}
