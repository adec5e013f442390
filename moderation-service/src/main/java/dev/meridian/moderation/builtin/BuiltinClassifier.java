package dev.meridian.moderation.builtin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in text classifier: deterministic and offline.
 * <p>
 * Eight categories ({@code sexual}, {@code hate}, {@code violence}, {@code harassment}, {@code self-harm},
 * {@code sexual/minors}, {@code hate/threatening}, {@code violence/graphic}) are logistic regressions fitted on
 * labelled data, so their scores are probabilities calibrated on that data: a lexical model (disguise-proof lexicon
 * features and term weights, microseconds per text) combined with a model over the text's sentence embedding
 * ({@link Embedder}, milliseconds per text), which reads meaning that no word list holds. The embedding reads the
 * canonical text (disguises undone), so a disguised text scores exactly as its plain form. Built without an
 * {@link Embedder}, or for a text with no words, the lexical model scores alone. The other five of OpenAI's taxonomy have
 * no labelled data here; they are hand-set combinations of the same features, each bounded by its parent category
 * where it has one (an instruction for self-harm is first of all self-harm), and are documented as such.
 */
public final class BuiltinClassifier {

    private final Features features;
    private final LinearModel model;
    private final Embedder embedder;
    private final int secondThreat;
    private final int secondViolence;
    private final int threatViolence;
    private final int firstSelfharm;
    private final int selfharmInstruction;
    private final int selfharmSupport;
    private final int illicit;
    private final int illicitInstruction;
    private final int weaponInstruction;
    private final int weapon;
    private final int violence;

    /** The lexical model alone. */
    public BuiltinClassifier() {
        this(null);
    }

    /** The lexical and embedding models combined; {@code embedder} may be {@code null} for the lexical model alone. */
    public BuiltinClassifier(Embedder embedder) {
        this.embedder = embedder;
        Lexicon lexicon = Lexicon.load();
        features = new Features(lexicon);
        model = LinearModel.load(features.names());
        secondThreat = feature("secondperson*threat");
        secondViolence = feature("secondperson*violence");
        threatViolence = feature("threat*violence");
        firstSelfharm = feature("firstperson*selfharm");
        selfharmInstruction = feature("selfharm*instruction");
        selfharmSupport = feature("selfharm*support");
        illicit = feature("illicit");
        illicitInstruction = feature("illicit*instruction");
        weaponInstruction = feature("weapon*instruction");
        weapon = feature("weapon");
        violence = feature("violence");
    }

    private int feature(String name) {
        int i = features.names().indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("the built-in classifier has no feature " + name);
        }
        return i;
    }

    /** Scores in [0, 1] for all 13 categories of the omni taxonomy, keyed by OpenAI's category names. */
    public Map<String, Double> scores(String text) {
        return scores(text, embedder != null);
    }

    /** Scores from the lexical model alone, whether or not this classifier has an {@link Embedder}. */
    public Map<String, Double> lexicalScores(String text) {
        return scores(text, false);
    }

    private Map<String, Double> scores(String text, boolean embed) {
        Features.Extracted t = features.extract(text);
        double[] x = t.x();
        double[] e = embed && !t.canonical().isBlank() ? embedder.embed(t.canonical()) : null;
        Map<String, Double> s = new LinkedHashMap<>();
        double harassment = model.score("harassment", t, e);
        double selfHarm = model.score("self-harm", t, e);
        double illicitScore = sigmoid(-4.0 + 1.5 * x[illicit] + 2.5 * x[illicitInstruction] + 1.5 * x[weaponInstruction]);
        s.put("harassment", harassment);
        s.put("harassment/threatening", harassment
                * sigmoid(-2.5 + 1.8 * x[secondThreat] + 1.8 * x[secondViolence] + 1.2 * x[threatViolence]));
        s.put("sexual", model.score("sexual", t, e));
        s.put("hate", model.score("hate", t, e));
        s.put("hate/threatening", model.score("hate/threatening", t, e));
        s.put("illicit", illicitScore);
        s.put("illicit/violent", illicitScore * sigmoid(-2.0 + 2.0 * x[weapon] + 1.5 * x[violence]));
        s.put("self-harm/intent", selfHarm * sigmoid(-1.0 + 2.5 * x[firstSelfharm] - 1.5 * x[selfharmSupport]));
        s.put("self-harm/instructions", selfHarm * sigmoid(-2.5 + 3.0 * x[selfharmInstruction]));
        s.put("self-harm", selfHarm);
        s.put("sexual/minors", model.score("sexual/minors", t, e));
        s.put("violence", model.score("violence", t, e));
        s.put("violence/graphic", model.score("violence/graphic", t, e));
        return s;
    }

    private static double sigmoid(double z) {
        return LinearModel.sigmoid(z);
    }
}
