import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a freshly started gateway adds to each of its first requests: sends COUNT requests one after
 * another at one connection each to the upstream directly and through the gateway, alternating which
 * goes first, and takes each pair's difference. The differences are summed up by request number, in
 * ranges (1–15, 16–50, …), as medians: a curve of how the overhead falls while the JIT compiles, not
 * one figure. Raw keep-alive sockets keep the client's own warm-up out of it.
 *
 * <pre>java -cp … ColdCurve DIRECT_URL GATEWAY_URL COUNT BODY_FILE ["Header: value" ...]</pre>
 *
 * Prints one {@code COLD key=value …} line (microseconds) for bench/run.sh.
 */
public final class ColdCurve {
    /** The first request of each range; the last range ends at COUNT. */
    static final int[] FROM = {1, 16, 51, 101, 201, 501, 1001, 2001, 5001};

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ColdCurve DIRECT_URL GATEWAY_URL COUNT BODY_FILE [\"Header: value\" ...]");
            System.exit(2);
        }
        byte[] body = Files.readAllBytes(Path.of(args[3]));
        boolean events = new String(body, java.nio.charset.StandardCharsets.UTF_8).matches("(?s).*\"stream\"\\s*:\\s*true.*");
        List<String> headers = List.of(args).subList(4, args.length);
        Ttft direct = new Ttft(URI.create(args[0]), body, headers, events);
        Ttft gateway = new Ttft(URI.create(args[1]), body, headers, events);
        int count = Integer.parseInt(args[2]);
        direct.once(); // the client's own first request (class loading, connect) is nobody's overhead
        long[] added = new long[count];
        for (int i = 0; i < count; i++) {
            long d;
            long g;
            if (i % 2 == 0) {
                d = direct.once()[1];
                g = gateway.once()[1];
            } else {
                g = gateway.once()[1];
                d = direct.once()[1];
            }
            added[i] = g - d;
        }
        direct.close();
        gateway.close();
        StringBuilder out = new StringBuilder("COLD n=" + count);
        for (int r = 0; r < FROM.length && FROM[r] <= count; r++) {
            int to = r + 1 < FROM.length ? Math.min(count, FROM[r + 1] - 1) : count;
            out.append(String.format(Locale.ROOT, " r%d_%d_us=%.1f", FROM[r], to, median(added, FROM[r] - 1, to)));
        }
        out.append(String.format(Locale.ROOT, " first_us=%.1f from16_us=%.1f last200_us=%.1f", added[0] / 1e3,
                median(added, Math.min(15, count - 1), count), median(added, Math.max(0, count - 200), count)));
        System.out.println(out);
    }

    /** The median of {@code values[from, to)} in microseconds. */
    static double median(long[] values, int from, int to) {
        long[] part = Arrays.copyOfRange(values, from, to);
        Arrays.sort(part);
        int n = part.length;
        return (n % 2 == 1 ? part[n / 2] : (part[n / 2 - 1] + part[n / 2]) / 2.0) / 1e3;
    }
}
