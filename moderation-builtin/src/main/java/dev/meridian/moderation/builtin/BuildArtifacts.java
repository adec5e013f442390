package dev.meridian.moderation.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the engines would otherwise compute from fixed artifacts at every start, computed once when this library is
 * built (exec-maven-plugin, phase process-classes) and shipped in its classes:
 * <ol>
 * <li>the sentence encoder with fixed activation scales ({@link StaticQuantization} over the model LangChain4j
 * ships),</li>
 * <li>the image model's ONNX graph ({@link KerasOnnx} over the TensorFlow.js model nsfwjs ships),</li>
 * <li>the token table ({@link TokenEmbedder#distil}), distilled by running the first over the vocabulary.</li>
 * </ol>
 * A service then only loads them: moderation-service starts about 0.6 s sooner than when it rewrote both graphs at
 * start-up. Tests check each shipped artifact against a fresh computation.
 * <p>
 * {@code java -cp … dev.meridian.moderation.builtin.BuildArtifacts <classes directory>}
 */
public final class BuildArtifacts {

    private BuildArtifacts() {
    }

    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        write(classes, Embedder.FIXED_SCALES_MODEL, Embedder.fixedScalesModel());
        write(classes, ImageClassifier.GRAPH, ImageClassifier.convertedModel());
        // the embedder reads the encoder written above, from the classes directory on this JVM's class path
        Path table = file(classes, TokenEmbedder.TABLE);
        try (Embedder embedder = new Embedder(1, 1); OutputStream out = Files.newOutputStream(table)) {
            TokenEmbedder.distil(embedder).write(out);
        }
    }

    private static void write(Path classes, String resource, byte[] bytes) throws IOException {
        Files.write(file(classes, resource), bytes);
    }

    private static Path file(Path classes, String resource) throws IOException {
        Path file = classes.resolve(resource.substring(1));
        Files.createDirectories(file.getParent());
        return file;
    }

    /** A resource that the build wrote, or a failure saying so. */
    static InputStream resource(String name) {
        InputStream in = BuildArtifacts.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path: it is written when moderation-builtin"
                    + " is built (phase process-classes, BuildArtifacts)");
        }
        return in;
    }
}
