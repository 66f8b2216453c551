package dev.levee.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a tier's target can honour. A request that needs a capability skips the tiers that lack it,
 * so a fallback never quietly degrades an answer. Known from a built-in table by wire format and
 * model name, overridable per tier in the config ({@code capabilities: {tools: false, …}}).
 */
public record Capabilities(Set<Capability> supported) {
    /** The things a request may need that not every target can do. */
    public enum Capability {
        /**
         * Chat completions at all: every model but an embedding model, which answers a chat request with
         * an error at best and is skipped rather than sent one.
         */
        CHAT("chat"),
        /** {@code tools} and tool-call turns in the conversation. */
        TOOLS("tools"),
        /** A forced tool call: {@code tool_choice} {@code required} or a named function. */
        TOOL_CHOICE("tool_choice"),
        /** Image content parts. */
        VISION("images"),
        /** {@code response_format: json_object}. */
        JSON_OBJECT("json_object"),
        /** {@code response_format: json_schema}. */
        JSON_SCHEMA("json_schema"),
        /** {@code logprobs} and {@code top_logprobs}. */
        LOGPROBS("logprobs"),
        /** Continuing a trailing assistant message (a cut stream's continuation). */
        PREFILL("prefill"),
        /** Embeddings ({@code POST /v1/embeddings}): an embedding model behind an API that has them. */
        EMBEDDINGS("embeddings");

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
     *   <li>Anthropic: tools, tool choice and images are translated to its content blocks, JSON to a
     *       forced call of a tool with the requested schema; assistant prefill is native; there are no
     *       log probabilities.</li>
     *   <li>Ollama: JSON output ({@code format}) for every model; tools for the families Ollama marks
     *       as tool-capable, images for its vision families (inline, as base64); no forced tool choice
     *       and no log probabilities.</li>
     * </ul>
     */
    public static Capabilities known(ProviderType wire, String model) {
        boolean embeds = embeddingModel(model);
        return switch (wire) {
            case OPENAI -> new Capabilities(EnumSet.of(Capability.TOOLS, Capability.TOOL_CHOICE, Capability.VISION,
                    Capability.JSON_OBJECT, Capability.JSON_SCHEMA, Capability.LOGPROBS))
                    .with(Capability.EMBEDDINGS, embeds).with(Capability.CHAT, !embeds);
            case ANTHROPIC -> new Capabilities(EnumSet.of(Capability.CHAT, Capability.TOOLS, Capability.TOOL_CHOICE,
                    Capability.VISION, Capability.JSON_OBJECT, Capability.JSON_SCHEMA, Capability.PREFILL));
            case OLLAMA, SIMULATOR -> ollama(model.toLowerCase(Locale.ROOT)).with(Capability.EMBEDDINGS, embeds)
                    .with(Capability.CHAT, !embeds);
        };
    }

    /** Families of embedding models whose names do not say "embed". */
    private static final List<String> EMBEDDING_FAMILIES = List.of("all-minilm", "bge-", "e5-", "gte-",
            "paraphrase-multilingual", "granite-embedding");

    /**
     * Whether a model name is an embedding model's: its name says {@code embed} (text-embedding-3-small,
     * nomic-embed-text, mxbai-embed-large, …) or it is of a known family (bge-m3, all-minilm, …).
     * Anthropic has no embeddings API. Such a model does not chat. A tier says otherwise with
     * {@code capabilities: {embeddings: …, chat: …}}.
     */
    static boolean embeddingModel(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        return name.contains("embed") || EMBEDDING_FAMILIES.stream().anyMatch(name::startsWith);
    }

    /** Native vector lengths of well-known embedding models (the tag after ':' aside). */
    private static final java.util.Map<String, Integer> DIMENSIONS = java.util.Map.of("text-embedding-3-small", 1536,
            "text-embedding-3-large", 3072, "text-embedding-ada-002", 1536, "nomic-embed-text", 768,
            "mxbai-embed-large", 1024, "all-minilm", 384, "bge-m3", 1024, "snowflake-arctic-embed", 1024);

    /** A well-known embedding model's native vector length, or {@code null} when levee does not know it. */
    public static Integer embeddingDimensions(String model) {
        return DIMENSIONS.get(model.toLowerCase(Locale.ROOT).replaceFirst(":.*$", ""));
    }

    /** Ollama model families with native tool calling. */
    private static final List<String> OLLAMA_TOOLS = List.of("llama3.1", "llama3.2", "llama3.3", "llama4", "qwen2.5",
            "qwen3", "qwq", "mistral", "mixtral", "command-r", "hermes3", "granite3", "granite4", "firefunction",
            "smollm2", "phi4-mini", "gpt-oss", "devstral", "magistral", "cogito");
    /** Ollama model families that take images. */
    private static final List<String> OLLAMA_VISION = List.of("llava", "bakllava", "llama3.2-vision", "llama4",
            "gemma3:4b", "gemma3:12b", "gemma3:27b", "qwen2.5vl", "qwen3-vl", "minicpm-v", "moondream",
            "granite3.2-vision", "mistral-small3.1", "mistral-small3.2");

    private static Capabilities ollama(String model) {
        EnumSet<Capability> caps = EnumSet.of(Capability.JSON_OBJECT, Capability.JSON_SCHEMA);
        if (OLLAMA_TOOLS.stream().anyMatch(model::startsWith)) {
            caps.add(Capability.TOOLS);
        }
        if (OLLAMA_VISION.stream().anyMatch(model::startsWith)) {
            caps.add(Capability.VISION);
        }
        return new Capabilities(caps);
    }
}
