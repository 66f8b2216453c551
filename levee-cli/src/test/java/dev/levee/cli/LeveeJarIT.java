package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar on its own: manifest, services, logging config and a request, in a child JVM. */
class LeveeJarIT {
    private static final Path JAR = Path.of(System.getProperty("levee.jar", "target/levee.jar"));

    @Test
    void manifestMakesTheJarRunnableOnModernJdks() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Manifest m = jar.getManifest();
            assertThat(m.getMainAttributes().getValue("Main-Class")).isEqualTo("dev.levee.cli.LeveeCli");
            assertThat(m.getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
            assertThat(m.getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA)")))
                    .isEmpty();
        }
    }

    @Test
    void picocliIsInTheJarAsClassFilesTheAotCacheCanHold() throws IOException {
        // Its published jar is Java 5 class files, which the AOT cache skips: the build compiles its sources.
        try (JarFile jar = new JarFile(JAR.toFile())) {
            byte[] header = jar.getInputStream(jar.getJarEntry("picocli/CommandLine.class")).readNBytes(8);
            int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            assertThat(major).as("class-file major version").isEqualTo(61); // --release 17
        }
    }

    @Test
    void theJarListsTheLicensesOfWhatItBundles() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            String list = new String(jar.getInputStream(jar.getJarEntry("META-INF/THIRD-PARTY.txt")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(list).contains("io.vertx:vertx-core", "io.netty:netty-common", "info.picocli:picocli",
                    "org.webjars.npm:echarts", "org.postgresql:postgresql").doesNotContain("junit", "dev.levee:");
        }
    }

    @Test
    void chatRunsFromTheJarWithLogbackAndAFileLog(@TempDir Path dir) throws Exception {
        Result r = run(dir, "chat", "hello there");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"model_used\": \"gemma3:4b\"");
        // logback was found through the merged service files, with levee's pattern and no colours off a TTY
        assertThat(r.err()).contains("[INFO ] [", "] request - Request processed").doesNotContain("SLF4J", "\u001b[");
        assertThat(r.err()).doesNotContain("WARNING:"); // no JVM warnings (native access, Unsafe)
        // the file log and the telemetry are in the data directory, nothing in the working directory
        assertThat(Files.readString(dir.resolve("levee-data/levee.log"))).contains("[DEBUG]", "Processing request");
        assertThat(dir.resolve("levee-data/levee-telemetry.jsonl")).isNotEmptyFile();
        assertThat(dir.resolve("levee.log")).doesNotExist();
        assertThat(dir.resolve("levee-telemetry.jsonl")).doesNotExist();
    }

    @Test
    void unknownOptionExitsWith2(@TempDir Path dir) throws Exception {
        Result r = run(dir, "chat", "--frobnicate", "hi");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(Path workDir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("out.txt").toFile())
                .redirectError(workDir.resolve("err.txt").toFile());
        pb.environment().remove("LEVEE_LOG_LEVEL");
        pb.environment().remove("LEVEE_LOG_FILE");
        pb.environment().remove("LEVEE_DATA_DIR"); // the default: levee-data in the working directory
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("levee.jar finished within 30 s").isTrue();
        // the child has exited, so logback's shutdown hook has flushed the asynchronous file log
        return new Result(p.exitValue(), Files.readString(workDir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(workDir.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
