package dev.meridian.moderation;

import java.util.Map;

import dev.meridian.moderation.builtin.BuiltinClassifier;
import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.TokenEmbedder;
import dev.meridian.moderation.engine.Taxonomy;

/** Texts the moderation-service tests send, and the classifier and thresholds their verdicts are checked against. */
public final class TestTexts {

    private TestTexts() {
    }

    public static final String THREAT = "i will kill you and burn your house, you worthless idiot";
    public static final String BENIGN = "we walked to the lake and had a picnic with sandwiches";
    /** The classifier as the service builds it: the lexical model and both embeddings, as configured. */
    public static final BuiltinClassifier CLASSIFIER = classifier();

    public static BuiltinClassifier classifier() {
        Embedder embedder = new Embedder(1, org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("meridian.moderation.builtin.embedding.max-characters", Integer.class));
        return new BuiltinClassifier(embedder, TokenEmbedder.load(embedder));
    }
    /** The flag thresholds the running service is configured with (application.properties). */
    public static final Map<String, Double> THRESHOLDS = thresholds();

    public static Map<String, Double> thresholds() {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        Map<String, Double> t = new java.util.HashMap<>();
        for (String c : Taxonomy.ALL) {
            t.put(c, config.getValue("meridian.moderation.builtin.thresholds.\"" + c + "\"", Double.class));
        }
        return t;
    }
}
