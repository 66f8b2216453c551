package dev.levee.config;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a tier's target can honour. A request that needs a capability skips the tiers that lack it,
 * so a fallback never quietly degrades an answer. Known from a built-in table by wire format and
 * model name, overridable per tier in the config ({@code capabilities: {tools: false, …}}).
 */
public record Capabilities(Set<Capability> supported) {
    /** The things a request may need that not every target can do. */
    public enum Capability {
        /** {@code tools} and tool-call turns in the conversation. */
        TOOLS("tools"),
        /** Image content parts. */
        VISION("images"),
        /** {@code response_format: json_object}. */
        JSON_OBJECT("json_object"),
        /** {@code response_format: json_schema}. */
        JSON_SCHEMA("json_schema"),
        /** {@code logprobs} and {@code top_logprobs}. */
        LOGPROBS("logprobs"),
        /** Continuing a trailing assistant message (a cut stream's continuation). */
        PREFILL("prefill");

        private final String key;

        Capability(String key) {
            this.key = key;
        }

        /** The name in the config and in messages. */
        public String key() {
            return key;
        }

        public static Capability ofKey(String key) {
            for (Capability c : values()) {
                if (c.key.equals(key)) {
                    return c;
                }
            }
            return null;
        }
    }

    public Capabilities {
        supported = supported.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(supported));
    }

    public boolean has(Capability capability) {
        return supported.contains(capability);
    }

    public Capabilities with(Capability capability, boolean on) {
        EnumSet<Capability> set = supported.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(supported);
        if (on) {
            set.add(capability);
        } else {
            set.remove(capability);
        }
        return new Capabilities(set);
    }

    /**
     * What levee knows a model can do through the wire format that reaches it.
     * <ul>
     *   <li>OpenAI-compatible servers get every parameter forwarded unchanged, so the server is the
     *       judge: everything but a prefill, which the Chat Completions API has no way to ask for.</li>
     *   <li>Anthropic: assistant prefill is native; tools, images and JSON are not translated yet, so
     *       such requests skip these tiers unless the config says otherwise.</li>
     *   <li>Ollama: plain chat; tools, images and {@code format} are not translated yet.</li>
     * </ul>
     */
    public static Capabilities known(ProviderType wire, String model) {
        return switch (wire) {
            case OPENAI -> new Capabilities(EnumSet.of(Capability.TOOLS, Capability.VISION, Capability.JSON_OBJECT,
                    Capability.JSON_SCHEMA, Capability.LOGPROBS));
            case ANTHROPIC -> new Capabilities(EnumSet.of(Capability.PREFILL));
            case OLLAMA, SIMULATOR -> new Capabilities(EnumSet.noneOf(Capability.class));
        };
    }
}
