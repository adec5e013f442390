package dev.meridian.moderation.engine;

import java.util.List;

/**
 * What one result is computed from: a single string, or the text and image parts of a multimodal array together.
 *
 * @param param where the input came from, for error messages ({@code input} or {@code input[2]})
 */
public record ModerationInput(String param, List<Part> parts) {

    /** A text part or an image part. */
    public sealed interface Part permits Text, Image {
        String param();
    }

    public record Text(String param, String text) implements Part {
    }

    /**
     * An image part; {@code bytes} and {@code mediaType} are filled in once it has been decoded or fetched.
     *
     * @param param the parameter naming its URL, e.g. {@code input[1].image_url.url}
     */
    public record Image(String param, String url, byte[] bytes, String mediaType) implements Part {
        public Image withContent(byte[] content, String type) {
            return new Image(param, url, content, type);
        }
    }

    /** The text parts joined by new lines: what a text classifier reads. */
    public String text() {
        StringBuilder s = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                if (!s.isEmpty()) {
                    s.append('\n');
                }
                s.append(t.text());
            }
        }
        return s.toString();
    }

    public boolean hasText() {
        return parts.stream().anyMatch(p -> p instanceof Text);
    }

    public boolean hasImage() {
        return parts.stream().anyMatch(p -> p instanceof Image);
    }

    public List<Image> images() {
        return parts.stream().filter(p -> p instanceof Image).map(p -> (Image) p).toList();
    }
}
