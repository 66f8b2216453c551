package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeveeCliTest {
    @Test
    void versionNamesLeveeAndTheJvm() {
        Cli r = Cli.run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("levee 0.1").contains("JVM:");
    }

    @Test
    void helpListsTheCommands() {
        Cli r = Cli.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("demo", "chat", "simulate", "Exit codes");
    }

    @Test
    void aLineNamingItsCommandBuildsOnlyThatCommandsModel() {
        java.io.PrintWriter sink = new java.io.PrintWriter(java.io.Writer.nullWriter());
        assertThat(LeveeCli.commandLine(sink, sink, "--no-color", "serve", "--port", "0").getSubcommands())
                .containsOnlyKeys("serve");
        assertThat(LeveeCli.commandLine(sink, sink, "help", "serve").getSubcommands())
                .containsKeys("demo", "chat", "serve", "simulate", "help");
        assertThat(LeveeCli.commandLine(sink, sink).getSubcommands()).containsKeys("demo", "chat", "serve", "simulate");
    }

    @Test
    void helpForOneCommandStillWorks() {
        Cli r = Cli.run("help", "serve");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: levee serve", "--config", "--grace");
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        Cli r = Cli.run("--bogus");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--bogus'", "Usage: levee");
    }

    @Test
    void noCommandIsAUsageErrorWithExitCode2() {
        Cli r = Cli.run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing command", "Usage: levee");
    }

    @Test
    void unknownCommandIsAUsageErrorWithExitCode2() {
        Cli r = Cli.run("frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate");
    }
}
