package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code ./levee} launcher's JVM options, per JDK version. The launcher runs from a copy in a
 * scratch tree holding only a jar (so it has nothing to build), against a fake JDK: a
 * {@code release} file with the version and a {@code bin/java} that records its arguments.
 */
class LauncherTest {
    /** The repository root is the module's parent; surefire sets {@code basedir} to the module. */
    private static final Path LAUNCHER = Path.of(System.getProperty("basedir", "."), "..", "levee")
            .toAbsolutePath().normalize();
    private static final String ALLOW_UNSAFE = "--sun-misc-unsafe-memory-access=allow";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "JDK {0}: Unsafe allowed = {1}")
    @CsvSource({"17.0.15, false", "21.0.5, false", "24.0.2, true", "25.0.3, true", "26, false"})
    void allowsNettyUnsafeMemoryAccessOnlyWhereTheJdkWarnsAndStillAllowsIt(String version, boolean allowed)
            throws Exception {
        List<String> run = lastJavaRun(version, Map.of(), "--version");
        assertThat(run).contains("-Xms128m", "-Xmx192m", "-XX:+UseSerialGC", "-XX:SurvivorRatio=4", "-jar");
        assertThat(run.contains(ALLOW_UNSAFE)).as("%s in %s", ALLOW_UNSAFE, run).isEqualTo(allowed);
        assertThat(run.subList(run.size() - 2, run.size())).containsExactly(
                dir.resolve("levee-cli/target/levee.jar").toString(), "--version");
    }

    @Test
    void theUsersOptionsComeAfterOursSoTheyWin() throws Exception {
        List<String> run = lastJavaRun("25.0.3", Map.of("LEVEE_JAVA_OPTS", "--sun-misc-unsafe-memory-access=deny"),
                "serve");
        assertThat(run.lastIndexOf("--sun-misc-unsafe-memory-access=deny")).isGreaterThan(run.indexOf(ALLOW_UNSAFE));
    }

    /** Runs a copy of the launcher in {@code dir} on a fake JDK of this version; returns its last java run. */
    private List<String> lastJavaRun(String version, Map<String, String> env, String... args) throws Exception {
        assertThat(LAUNCHER).as("the launcher").isRegularFile();
        Files.copy(LAUNCHER, dir.resolve("levee"));
        Files.createDirectories(dir.resolve("levee-cli/target"));
        Files.writeString(dir.resolve("levee-cli/target/levee.jar"), "not read: java is fake");
        Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path calls = dir.resolve("calls.txt");
        Path java = jdk.resolve("java");
        // One line per run, arguments separated by a tab; the training run writes no cache.
        Files.writeString(java, "#!/bin/sh\n(IFS=$(printf '\\t'); echo \"$*\") >>'" + calls + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> command = new ArrayList<>(List.of("bash", dir.resolve("levee").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        pb.environment().remove("LEVEE_JAVA_OPTS");
        pb.environment().remove("LEVEE_AOT");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        List<String> lines = Files.readAllLines(calls);
        return List.of(lines.get(lines.size() - 1).split("\t"));
    }
}
