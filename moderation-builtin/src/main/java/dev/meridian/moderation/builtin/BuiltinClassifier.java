package dev.meridian.moderation.builtin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meridian.moderation.builtin.LinearModel.Stage;

/**
 * The built-in text classifier: deterministic and offline.
 * <p>
 * Eight categories ({@code sexual}, {@code hate}, {@code violence}, {@code harassment}, {@code self-harm},
 * {@code sexual/minors}, {@code hate/threatening}, {@code violence/graphic}) are logistic regressions fitted on
 * labelled data, so their scores are probabilities calibrated on that data: a lexical model (disguise-proof lexicon
 * features and term weights, microseconds per text) combined with a model over an embedding of the text, which reads
 * meaning that no word list holds. {@link #scores} combines it with the sentence embedding ({@link Embedder},
 * milliseconds per text), {@link #fastScores} with the distilled token embedding ({@link TokenEmbedder}, tens of
 * microseconds, lower quality). Either embedding reads the canonical text (disguises undone), so a disguised text
 * scores exactly as its plain form. Built without the embedder it needs, or for a text with no words, each scores
 * with the lexical model alone. The other five of OpenAI's taxonomy have
 * no labelled data here; they are hand-set combinations of the same features, each bounded by its parent category
 * where it has one (an instruction for self-harm is first of all self-harm), and are documented as such.
 */
public final class BuiltinClassifier {

    private final Features features;
    private final LinearModel model;
    private final Embedder embedder;
    private final TokenEmbedder tokens;
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
        this(null, null);
    }

    /**
     * The lexical model combined with the sentence embedding in {@link #scores} and with the token embedding in
     * {@link #fastScores}; either embedder may be {@code null}, and then that method scores lexically.
     */
    public BuiltinClassifier(Embedder embedder, TokenEmbedder tokens) {
        this.embedder = embedder;
        this.tokens = tokens;
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

    /**
     * Scores in [0, 1] for all 13 categories of the omni taxonomy, keyed by OpenAI's category names: the lexical
     * model with the sentence embedding (engine {@code builtin}).
     */
    public Map<String, Double> scores(String text) {
        Features.Extracted t = features.extract(text);
        boolean embed = embedder != null && !t.canonical().isBlank();
        return scores(t, Stage.SENTENCE, embed ? embedder.embed(t.canonical()) : null);
    }

    /**
     * The cascade (engine {@code builtin}): the text is scored with the token embedding first, and only when some
     * category scores {@code escalation} or more there is it scored again with the sentence embedding, whose scores
     * are then the answer. Most benign text stops at the first stage, tens of microseconds instead of milliseconds;
     * text that any category finds suspect gets the better model. An escalation of 0 (or no token embedding) always
     * takes the sentence embedding, as {@link #scores}.
     */
    public Map<String, Double> cascadeScores(String text, double escalation) {
        return cascadeScores(List.of(text), escalation).get(0);
    }

    /**
     * The cascade's scores of each text, as {@link #cascadeScores(String, double)} gives them; the texts that go on to
     * the sentence embedding go together ({@link Embedder#embedAll}), so those of one request share a call of the
     * model.
     */
    public List<Map<String, Double>> cascadeScores(List<String> texts, double escalation) {
        List<Map<String, Double>> scores = new ArrayList<>(texts.size());
        List<Features.Extracted> escalated = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (String text : texts) {
            Features.Extracted t = features.extract(text);
            boolean blank = t.canonical().isBlank();
            Map<String, Double> fast = escalation > 0 && tokens != null && !blank
                    ? scores(t, Stage.TOKENS, tokens.embed(t.canonical()))
                    : null;
            if (fast != null && fast.values().stream().allMatch(score -> score < escalation)) {
                scores.add(fast);
            } else if (embedder == null || blank) {
                scores.add(scores(t, Stage.SENTENCE, null));
            } else {
                scores.add(null);
                escalated.add(t);
                positions.add(scores.size() - 1);
            }
        }
        if (!escalated.isEmpty()) {
            double[][] embeddings = embedder.embedAll(escalated.stream().map(Features.Extracted::canonical).toList());
            for (int i = 0; i < escalated.size(); i++) {
                scores.set(positions.get(i), scores(escalated.get(i), Stage.SENTENCE, embeddings[i]));
            }
        }
        return scores;
    }

    /** As {@link #scores}, with the token embedding in place of the sentence embedding (engine {@code builtin-fast}). */
    public Map<String, Double> fastScores(String text) {
        Features.Extracted t = features.extract(text);
        boolean embed = tokens != null && !t.canonical().isBlank();
        return scores(t, Stage.TOKENS, embed ? tokens.embed(t.canonical()) : null);
    }

    private Map<String, Double> scores(Features.Extracted t, Stage stage, double[] embedding) {
        double[] x = t.x();
        double[] e = embedding == null ? null : model.input(stage, embedding);
        Map<String, Double> s = new LinkedHashMap<>();
        double harassment = model.score("harassment", t, stage, e);
        double selfHarm = model.score("self-harm", t, stage, e);
        double illicitScore = sigmoid(-4.0 + 1.5 * x[illicit] + 2.5 * x[illicitInstruction] + 1.5 * x[weaponInstruction]);
        s.put("harassment", harassment);
        s.put("harassment/threatening", harassment
                * sigmoid(-2.5 + 1.8 * x[secondThreat] + 1.8 * x[secondViolence] + 1.2 * x[threatViolence]));
        s.put("sexual", model.score("sexual", t, stage, e));
        s.put("hate", model.score("hate", t, stage, e));
        s.put("hate/threatening", model.score("hate/threatening", t, stage, e));
        s.put("illicit", illicitScore);
        s.put("illicit/violent", illicitScore * sigmoid(-2.0 + 2.0 * x[weapon] + 1.5 * x[violence]));
        s.put("self-harm/intent", selfHarm * sigmoid(-1.0 + 2.5 * x[firstSelfharm] - 1.5 * x[selfharmSupport]));
        s.put("self-harm/instructions", selfHarm * sigmoid(-2.5 + 3.0 * x[selfharmInstruction]));
        s.put("self-harm", selfHarm);
        s.put("sexual/minors", model.score("sexual/minors", t, stage, e));
        s.put("violence", model.score("violence", t, stage, e));
        s.put("violence/graphic", model.score("violence/graphic", t, stage, e));
        return s;
    }

    private static double sigmoid(double z) {
        return LinearModel.sigmoid(z);
    }
}
