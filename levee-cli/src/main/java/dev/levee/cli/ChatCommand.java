package dev.levee.cli;

import dev.levee.ChatChunk;
import dev.levee.cli.logging.LeveeLogging;
import dev.levee.config.ConfigLoader;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.StreamHandler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code levee chat}: one request through the library, its answer and its metadata. */
@Command(name = "chat",
        header = "Send one prompt through levee; print the answer and its metadata.",
        description = "Sends one prompt through levee and prints the answer, then its metadata as JSON. Without"
                + " --config it runs on the embedded default: three simulator tiers, no network or keys.")
final class ChatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A levee.yaml (default: the embedded config).")
    Path config;

    @Option(names = "--model", paramLabel = "ROUTE", description = "The route alias to use (default: the config's default route).")
    String route;

    @Option(names = "--stream", description = "Print the answer token by token as it arrives.")
    boolean stream;

    @Option(names = "--max-tokens", paramLabel = "N", description = "The caller's output limit (tiers may cap it lower).")
    Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature, 0 to 2.")
    Double temperature;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message before the prompt.")
    String system;

    @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "The prompt; several words are joined with spaces; - reads standard input.")
    List<String> prompt;

    @Override
    public Integer call() {
        ChatRequest request = request(promptText());
        PrintWriter out = spec.commandLine().getOut();
        dev.levee.config.LeveeConfig cfg = config == null ? ConfigLoader.loadDefault() : ConfigLoader.load(config);
        LeveeLogging.fileUnder(cfg.storage().dataDir());
        try (Levee levee = Levee.builder().config(cfg).build()) {
            ChatResponse response = stream ? streamed(levee, request, out) : levee.complete(request);
            if (!stream) {
                out.println(response.text());
            }
            out.println();
            out.println(Style.dim("Response metadata:"));
            out.println(Json.pretty(ResponseMetadata.detailed(response)));
            out.flush();
            return 0;
        }
    }

    private ChatRequest request(String text) {
        ChatRequest.Builder b = ChatRequest.builder().route(route).maxTokens(maxTokens).temperature(temperature);
        if (system != null) {
            b.system(system);
        }
        return b.user(text).build();
    }

    private String promptText() {
        if (prompt.size() == 1 && "-".equals(prompt.get(0))) {
            try {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ErrorReporter.UsageProblem("cannot read the prompt from standard input: " + e.getMessage());
            }
        }
        return String.join(" ", prompt);
    }

    /** Prints chunks as they arrive (on the event loop: print and return) and waits for the end. */
    private static ChatResponse streamed(Levee levee, ChatRequest request, PrintWriter out) {
        var stream = levee.stream(request, new StreamHandler() {
            @Override
            public void onChunk(ChatChunk chunk) {
                if (chunk.hasContent()) {
                    out.print(chunk.text());
                    out.flush();
                }
            }

            @Override
            public void onComplete(ChatResponse response) {
                out.println();
                out.flush();
            }

            @Override
            public void onError(LeveeException error) {
                out.println();
                out.flush();
            }
        });
        try {
            return stream.completion().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }
}
