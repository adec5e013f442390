import java.util.Arrays;

import dev.meridian.images.engine.ImageEngine.GenerationSpec;
import dev.meridian.images.engine.ProceduralEngine;
import dev.meridian.moderation.builtin.ImageClassifier;

/**
 * The image classifier's scores on abstract images: the procedural engine's, at the sizes of dall-e-2 and dall-e-3.
 * Single-file program, run by bench/image-false-positives.sh with moderation-service's and images-service's classes.
 */
public class ImageFalsePositives {

    private static final double[] LEVELS = {0.35, 0.5, 0.7, 0.8, 0.9};

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        ProceduralEngine engine = new ProceduralEngine();
        String[][] sizes = {{"dall-e-2", "256", "256"}, {"dall-e-2", "512", "512"}, {"dall-e-2", "1024", "1024"},
            {"dall-e-3", "1792", "1024"}};
        try (ImageClassifier model = new ImageClassifier()) {
            System.out.printf("%-10s %6s %8s %8s %8s %8s %8s %8s %10s%n", "size", "images", ">=0.35", ">=0.5", ">=0.7",
                    ">=0.8", ">=0.9", "highest", "ms/image");
            for (String[] size : sizes) {
                int width = Integer.parseInt(size[1]);
                int height = Integer.parseInt(size[2]);
                double[] scores = new double[n];
                long nanos = 0;
                for (int i = 0; i < n; i++) {
                    byte[] png = engine.generate(new GenerationSpec(size[0], "abstract image " + i, 1, width, height,
                            null, null, null)).get(0).png();
                    long start = System.nanoTime();
                    scores[i] = model.sexual(ImageClassifier.decode(png, Long.MAX_VALUE));
                    nanos += System.nanoTime() - start;
                }
                StringBuilder line = new StringBuilder(String.format("%-10s %6d", width + "x" + height, n));
                for (double level : LEVELS) {
                    long over = Arrays.stream(scores).filter(s -> s >= level).count();
                    line.append(String.format(" %7.2f%%", 100.0 * over / n));
                }
                line.append(String.format(" %8.3f %10.1f", Arrays.stream(scores).max().orElse(0), nanos / 1e6 / n));
                System.out.println(line);
            }
        }
    }
}
