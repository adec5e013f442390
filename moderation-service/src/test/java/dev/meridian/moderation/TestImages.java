package dev.meridian.moderation;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;

import dev.meridian.moderation.builtin.ImageClassifier;
import dev.meridian.moderation.builtin.SampleImages;

/**
 * Abstract drawings of a few ellipses on a brown ground, found by a random search against the image model, that it
 * takes for explicit drawings ("hentai"): nothing in them is sexual, they are here because the model scores them
 * high, which is what the tests of flagging need. Their scores are computed by the model in the tests, never assumed.
 */
public final class TestImages {

    /**
     * Scores about 0.99: above the image threshold (0.9), and still about 0.975 or more when drawn or scaled to 256,
     * 512 or 1024 pixels (e2e-tests uploads it, with its top-left pixel transparent, as an edit's source).
     */
    public static final byte[] STRONG = drawing(new int[][] {{61, 58, 136, 85, 0xa7b144}, {142, 157, 98, 63, 0xdfc331},
        {57, 129, 59, 20, 0x6db275}, {79, -54, 8, 129, 0xf6c79f}, {34, -52, 28, 107, 0xd746b1},
        {-14, 35, 47, 124, 0xa3c734}, {63, 184, 47, 70, 0xec98b3}, {1, 63, 114, 100, 0xeec43c}});

    /** Scores about 0.64: above the text threshold for sexual (0.5), below the image threshold. */
    public static final byte[] MIDDLING = drawing(new int[][] {{68, 64, 128, 85, 0xa7b144}, {142, 157, 98, 63, 0xdfc331}});

    private TestImages() {
    }

    /** Ellipses given as x, y, width, height and RGB, filled without antialiasing on 224x224. */
    private static byte[] drawing(int[][] ellipses) {
        BufferedImage img = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(120, 60, 60));
        g.fillRect(0, 0, 224, 224);
        for (int[] e : ellipses) {
            g.setColor(new Color(e[4]));
            g.fillOval(e[0], e[1], e[2], e[3]);
        }
        g.dispose();
        return SampleImages.encoded(img, "png");
    }

    /** What the image model scores each image for sexual, in order. */
    public static double[] sexual(byte[]... images) {
        try (ImageClassifier model = new ImageClassifier()) {
            double[] scores = new double[images.length];
            for (int i = 0; i < images.length; i++) {
                scores[i] = model.sexual(ImageClassifier.decode(images[i], Long.MAX_VALUE));
            }
            return scores;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
