package dev.meridian.moderation.builtin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in text classifier: deterministic, offline, fast (a short text in microseconds).
 * <p>
 * Eight categories ({@code sexual}, {@code hate}, {@code violence}, {@code harassment}, {@code self-harm},
 * {@code sexual/minors}, {@code hate/threatening}, {@code violence/graphic}) are logistic regressions fitted on
 * labelled data, so their scores are probabilities calibrated on that data. The other five of OpenAI's taxonomy have
 * no labelled data here; they are hand-set combinations of the same features, each bounded by its parent category
 * where it has one (an instruction for self-harm is first of all self-harm), and are documented as such.
 */
public final class BuiltinClassifier {

    private final Features features;
    private final LinearModel model;
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

    public BuiltinClassifier() {
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
        Features.Extracted t = features.extract(text);
        double[] x = t.x();
        Map<String, Double> s = new LinkedHashMap<>();
        double harassment = model.score("harassment", t);
        double selfHarm = model.score("self-harm", t);
        double illicitScore = sigmoid(-4.0 + 1.5 * x[illicit] + 2.5 * x[illicitInstruction] + 1.5 * x[weaponInstruction]);
        s.put("harassment", harassment);
        s.put("harassment/threatening", harassment
                * sigmoid(-2.5 + 1.8 * x[secondThreat] + 1.8 * x[secondViolence] + 1.2 * x[threatViolence]));
        s.put("sexual", model.score("sexual", t));
        s.put("hate", model.score("hate", t));
        s.put("hate/threatening", model.score("hate/threatening", t));
        s.put("illicit", illicitScore);
        s.put("illicit/violent", illicitScore * sigmoid(-2.0 + 2.0 * x[weapon] + 1.5 * x[violence]));
        s.put("self-harm/intent", selfHarm * sigmoid(-1.0 + 2.5 * x[firstSelfharm] - 1.5 * x[selfharmSupport]));
        s.put("self-harm/instructions", selfHarm * sigmoid(-2.5 + 3.0 * x[selfharmInstruction]));
        s.put("self-harm", selfHarm);
        s.put("sexual/minors", model.score("sexual/minors", t));
        s.put("violence", model.score("violence", t));
        s.put("violence/graphic", model.score("violence/graphic", t));
        return s;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
