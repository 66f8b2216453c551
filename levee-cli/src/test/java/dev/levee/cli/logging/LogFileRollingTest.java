package dev.levee.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/** levee's file log rolls at its size limit, whatever the rate it is written at. */
class LogFileRollingTest {
    private static final long LIMIT = 10L * 1024 * 1024;

    @Test
    void rollsNearTenMegabytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("levee.log");
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("levee.log.file", file.toString());
        LeveeLogging configurator = new LeveeLogging();
        configurator.setContext(context);
        configurator.configure(context);
        Logger log = context.getLogger("levee.test");
        String line = "x".repeat(250);
        try {
            // ~25 MB at a gateway's pace, a few MB a second: logback's default size check (once a
            // minute) would let it all land in levee.log.
            for (int i = 0; i < 100_000; i++) {
                log.debug("line {} {}", i, line);
                if (i % 1000 == 999) {
                    Thread.sleep(20);
                }
            }
        } finally {
            context.stop(); // drains the batching appender
        }
        assertThat(dir.resolve("levee.log.1")).exists();
        assertThat(dir.resolve("levee.log.2")).exists();
        assertThat(Files.size(file)).isLessThan(2 * LIMIT);
        assertThat(Files.size(dir.resolve("levee.log.1"))).isBetween(LIMIT, 2 * LIMIT);
    }
}
