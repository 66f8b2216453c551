package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrainStartupCommandTest {
    /**
     * The launcher records its AOT cache on this run, so it must walk the real paths: it checks
     * every status it gets (JSON and SSE on each wire format, the 400/404 answers, the admin
     * routes) and fails on a surprise, then chats as {@code levee chat} does.
     */
    @Test
    void servesEveryWireFormatThenChatsAndExitsZero() {
        Cli r = Cli.run("train-startup");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Response metadata:", "\"model_used\": \"gemma3:4b\"");
    }

    @Test
    void isHiddenFromTheUsageHelp() {
        Cli r = Cli.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("serve", "chat").doesNotContain("train-startup");
    }
}
