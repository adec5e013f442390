package dev.meridian.moderation.engine;

import java.util.List;
import java.util.Set;

/**
 * The categories a moderation model answers with. Omni models have OpenAI's 13, text-moderation models the 11 without
 * {@code illicit}; the openai SDKs nevertheless expect all 13 keys, so a text model writes the two extra as
 * {@code null} flags, zero scores and no applied input types (not evaluated).
 */
public enum Taxonomy {
    OMNI(true), TEXT(false);

    /** Every category in OpenAI's response order. */
    public static final List<String> ALL = List.of("harassment", "harassment/threatening", "sexual", "hate",
            "hate/threatening", "illicit", "illicit/violent", "self-harm/intent", "self-harm/instructions", "self-harm",
            "sexual/minors", "violence", "violence/graphic");

    /** The categories omni models can evaluate on images. */
    public static final Set<String> IMAGE_CATEGORIES = Set.of("sexual", "self-harm/intent", "self-harm/instructions",
            "self-harm", "violence", "violence/graphic");

    private static final Set<String> OMNI_ONLY = Set.of("illicit", "illicit/violent");

    private final boolean images;

    Taxonomy(boolean images) {
        this.images = images;
    }

    /** The taxonomy of a model, by the name it is served under (its upstream name where it has one). */
    public static Taxonomy of(String servedName) {
        return servedName.startsWith("text-moderation") ? TEXT : OMNI;
    }

    public boolean acceptsImages() {
        return images;
    }

    public boolean has(String category) {
        return this == OMNI || !OMNI_ONLY.contains(category);
    }
}
