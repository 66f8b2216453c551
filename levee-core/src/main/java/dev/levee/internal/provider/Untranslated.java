package dev.levee.internal.provider;

import dev.levee.Message;
import dev.levee.Role;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderCall;
import dev.levee.spi.ProviderException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What an adapter does not carry. A parameter that sets the answer's contract is refused before
 * anything is sent — the tier's capabilities normally keep such a request away, so this only bites
 * when a config claims more than the adapter translates — and a hint is reported as not applied.
 */
public final class Untranslated {
    /** Parameters levee itself honours whatever the target: the output limit's other name, caller metadata. */
    private static final Set<String> LEVEE_OWN = Set.of("max_completion_tokens", "user", "metadata");

    private Untranslated() {
    }

    /** Refuses a call with tools, images, a JSON format or log probabilities, naming what it cannot carry. */
    public static void refuseContracts(ProviderCall call, String adapter) {
        String field = null;
        if (!call.tools().isEmpty() || call.toolChoice() != null) {
            field = "tools";
        } else if (call.responseFormat() != null && call.responseFormat().json()) {
            field = "response_format";
        } else if (Boolean.TRUE.equals(call.request().logprobs()) || call.request().topLogprobs() != null) {
            field = "logprobs";
        } else {
            for (Message m : call.messages()) {
                if (!m.toolCalls().isEmpty() || m.role() == Role.TOOL) {
                    field = "tool messages";
                } else if (m.hasImages()) {
                    field = "images";
                }
            }
        }
        if (field != null) {
            throw new ProviderException(FailureKind.UNSUPPORTED, 0, adapter + " does not carry " + field, null);
        }
    }

    /**
     * The call's hints this adapter leaves out: {@code parallel_tool_calls} when set, and the other
     * parameters that are neither levee's own nor in {@code translated}, in order.
     */
    public static List<String> hints(ProviderCall call, Collection<String> translated) {
        List<String> out = new ArrayList<>();
        if (call.request().parallelToolCalls() != null && !translated.contains("parallel_tool_calls")) {
            out.add("parallel_tool_calls");
        }
        for (String name : call.extra().keySet()) {
            if (!LEVEE_OWN.contains(name) && !translated.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }
}
