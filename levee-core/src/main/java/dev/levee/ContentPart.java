package dev.levee;

import java.util.Objects;

/** One part of a message's content: text, or an image (an {@code https:} URL or a {@code data:} URI). */
public sealed interface ContentPart {
    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * @param url an {@code http(s):} URL or a {@code data:image/...;base64,...} URI
     * @param detail OpenAI's {@code low}, {@code high} or {@code auto}, or {@code null}
     */
    record Image(String url, String detail) implements ContentPart {
        public Image {
            Objects.requireNonNull(url, "url");
        }

        /** The media type of a {@code data:} URI ({@code image/png}), or {@code null} for a URL. */
        public String dataMediaType() {
            if (!url.startsWith("data:")) {
                return null;
            }
            int end = url.indexOf(';');
            return end > 5 ? url.substring(5, end) : null;
        }

        /** The base64 payload of a {@code data:} URI, or {@code null} for a URL. */
        public String dataBase64() {
            int comma = url.indexOf(";base64,");
            return url.startsWith("data:") && comma > 0 ? url.substring(comma + ";base64,".length()) : null;
        }
    }
}
