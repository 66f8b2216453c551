package dev.levee.internal.provider;

import dev.levee.internal.text.PromptSanitizer;
import java.util.Collection;

/**
 * Text a provider sent about a failure, made fit to pass on: it reaches logs, telemetry and the
 * caller's error message, and providers echo anything — the key they were sent ("Incorrect API key
 * provided: sk-…"), the prompt with its e-mails and card numbers. Known secrets are replaced,
 * sensitive patterns masked as in prompt logging, control characters (forged log lines) replaced,
 * and the length capped.
 */
public final class UpstreamText {
    static final int MAX_CHARS = 300;

    private UpstreamText() {
    }

    public static String clean(String raw, Collection<String> secrets) {
        if (raw == null) {
            return "";
        }
        String text = raw.length() > 4 * MAX_CHARS ? raw.substring(0, 4 * MAX_CHARS) : raw;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                text = text.replace(secret, "[SECRET]");
            }
        }
        text = PromptSanitizer.sanitize(text);
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS + 3));
        for (int i = 0; i < text.length() && out.length() < MAX_CHARS; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (text.length() > MAX_CHARS) {
            out.append("...");
        }
        return out.toString();
    }

    public static String clean(String raw) {
        return clean(raw, java.util.List.of());
    }
}
