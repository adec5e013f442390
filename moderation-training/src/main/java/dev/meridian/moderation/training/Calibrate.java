package dev.meridian.moderation.training;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.Features;
import dev.meridian.moderation.builtin.Lexicon;
import dev.meridian.moderation.builtin.StaticQuantization;

/**
 * Measures the range of each activation the shipped BGE model quantises dynamically, over what the engine feeds it:
 * the texts of the labelled file and of the written texts (as the engine sees them, disguises undone, at most 510
 * tokens) and every WordPiece token alone, as the token embedding is distilled. The ranges become the fixed
 * quantisation of {@link StaticQuantization}; a run writes them to {@code builtin/activation-ranges.tsv}, and Train
 * has to run after it, since every embedding changes with them.
 * <p>
 * {@code java ... Calibrate dev.jsonl texts.txt out-dir}
 */
public final class Calibrate {

    private static final int TOKENS_PER_BATCH = 256;

    private Calibrate() {
    }

    public static void main(String[] args) throws IOException, OrtException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: Calibrate dev.jsonl texts.txt out-dir");
        }
        Features features = new Features(Lexicon.load());
        List<String> texts = Stream.concat(Sample.read(Path.of(args[0])).stream().map(Sample::prompt),
                WrittenTexts.read(Path.of(args[1])).stream().map(WrittenTexts.Text::text))
                .map(t -> features.extract(t).canonical()).filter(t -> !t.isBlank()).toList();
        byte[] shipped = Embedder.shippedModel();
        List<String> activations = StaticQuantization.activations(shipped);
        float[] low = new float[activations.size()];
        float[] high = new float[activations.size()];
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                HuggingFaceTokenizer tokenizer = Embedder.tokenizer()) {
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            try (OrtSession session = environment.createSession(StaticQuantization.exposing(shipped, activations),
                    options)) {
                for (String text : texts) {
                    long[] tokens = tokenizer.encode(text).getIds();
                    long[] row = new long[Math.min(tokens.length, Embedder.MAX_TOKENS) + 2];
                    row[0] = Embedder.CLS;
                    System.arraycopy(tokens, 0, row, 1, row.length - 2);
                    row[row.length - 1] = Embedder.SEP;
                    observe(environment, session, new long[][] {row}, activations, low, high);
                }
                for (int first = 0; first < Embedder.VOCABULARY; first += TOKENS_PER_BATCH) {
                    int count = Math.min(TOKENS_PER_BATCH, Embedder.VOCABULARY - first);
                    long[][] rows = new long[count][];
                    for (int i = 0; i < count; i++) {
                        rows[i] = new long[] {Embedder.CLS, first + i, Embedder.SEP};
                    }
                    observe(environment, session, rows, activations, low, high);
                }
            }
        }
        Path out = Path.of(args[2]).resolve("activation-ranges.tsv");
        Files.createDirectories(out.getParent());
        try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            writer.printf(Locale.ROOT, "# Range of each activation BGE-small-en v1.5 (quantised) quantises, written by"
                    + " Calibrate over %d texts and the %d tokens alone: name, minimum, maximum%n", texts.size(),
                    Embedder.VOCABULARY);
            for (int a = 0; a < activations.size(); a++) {
                writer.printf(Locale.ROOT, "%s\t%s\t%s%n", activations.get(a), Float.toString(low[a]),
                        Float.toString(high[a]));
            }
        }
        System.out.printf(Locale.ROOT, "%d activation ranges over %d texts and %d tokens written to %s%n",
                activations.size(), texts.size(), Embedder.VOCABULARY, out);
    }

    private static void observe(OrtEnvironment environment, OrtSession session, long[][] ids, List<String> activations,
            float[] low, float[] high) throws OrtException {
        long[][] mask = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            mask[i] = new long[ids[i].length];
            Arrays.fill(mask[i], 1);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, ids);
                OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask);
                OnnxTensor typeTensor = OnnxTensor.createTensor(environment, new long[ids.length][ids[0].length])) {
            inputs.put("input_ids", idTensor);
            inputs.put("attention_mask", maskTensor);
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", typeTensor);
            }
            try (OrtSession.Result result = session.run(inputs, new HashSet<>(activations))) {
                for (int a = 0; a < activations.size(); a++) {
                    FloatBuffer values = ((OnnxTensor) result.get(activations.get(a)).orElseThrow()).getFloatBuffer();
                    while (values.hasRemaining()) {
                        float v = values.get();
                        low[a] = Math.min(low[a], v);
                        high[a] = Math.max(high[a], v);
                    }
                }
            }
        }
    }
}
