package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ImageClassifierTest {

    private static ImageClassifier classifier;

    @BeforeAll
    static void load() {
        classifier = new ImageClassifier();
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    /** The synthetic images of {@code moderation-training/data/nsfwjs-reference.js}, same formulas. */
    private static BufferedImage synthetic(int kind) {
        int width = kind == 3 ? 300 : 224;
        int height = kind == 3 ? 200 : 224;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r;
                int g;
                int b;
                if (kind == 0) {
                    r = x;
                    g = y;
                    b = 128;
                } else if (kind == 1) {
                    boolean disc = Math.hypot(x - 112, y - 112) < 60;
                    r = disc ? 230 : 20;
                    g = disc ? 180 : 90;
                    b = disc ? 150 : 200;
                } else if (kind == 2) {
                    r = (x * 7 + y * 3) % 256;
                    g = (x * x + y) % 256;
                    b = (x ^ y) % 256;
                } else {
                    r = (x * 3) % 256;
                    g = (y * 5) % 256;
                    b = (x + y) % 256;
                }
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    /**
     * What nsfwjs 4.4.0 itself answers for the same images under TensorFlow.js 4.22.0 (CPU backend), printed by
     * {@code moderation-training/data/nsfwjs-reference.js} to seven decimals: drawing, hentai, neutral, porn, sexy. The last image is
     * 300x200, so it also checks the resize.
     */
    private static final float[][] TENSORFLOW_JS = {
            {0.9081395f, 0.0190313f, 0.0687789f, 0.0032384f, 0.0008120f},
            {0.2476538f, 0.0095525f, 0.7425873f, 0.0001660f, 0.0000403f},
            {0.9616665f, 0.0170204f, 0.0119087f, 0.0084491f, 0.0009553f},
            {0.5732488f, 0.0087082f, 0.4156319f, 0.0018902f, 0.0005209f}};

    @Test
    void theConvertedModelAnswersWhatTensorFlowJsAnswers() {
        for (int kind = 0; kind < TENSORFLOW_JS.length; kind++) {
            assertArrayEquals(TENSORFLOW_JS[kind], classifier.classify(synthetic(kind)), 5e-6f, "image " + kind);
        }
        float[] p = TENSORFLOW_JS[1];
        assertEquals(p[1] + p[3], classifier.sexual(synthetic(1)), 1e-5, "sexual is porn plus hentai");
    }

    @Test
    void imagesAreResizedBilinearlyWithAlignedCorners() {
        BufferedImage image = new BufferedImage(2, 3, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xff000000 | 255 << 16);
        image.setRGB(1, 0, 0x00000000 | 51 << 8); // alpha is ignored
        image.setRGB(0, 1, 0xff000000 | 102);
        image.setRGB(1, 1, 0xff000000 | 255 << 16 | 255 << 8 | 255);
        image.setRGB(0, 2, 0xff000000);
        image.setRGB(1, 2, 0xff000000 | 204 << 16);
        float[] px = ImageClassifier.pixels(image);
        int last = ImageClassifier.SIZE - 1;
        // the corners are the image's corners
        assertArrayEquals(new float[] {1, 0, 0}, pixel(px, 0, 0));
        assertArrayEquals(new float[] {0, 0.2f, 0}, pixel(px, last, 0));
        assertArrayEquals(new float[] {0, 0, 0}, pixel(px, 0, last));
        assertArrayEquals(new float[] {0.8f, 0, 0}, pixel(px, last, last));
        // output row 111 of 0..223 maps to 111 * 2 / 223 = 0.9955 of the image's rows 0..2: mostly row 1, a little 0
        float fy = 111 * 2f / 223;
        float[] expected = {(1 - fy) * 1 + fy * 0, 0, (1 - fy) * 0 + fy * 0.4f};
        assertArrayEquals(expected, pixel(px, 0, 111), 1e-6f);
    }

    private static float[] pixel(float[] px, int x, int y) {
        int i = (y * ImageClassifier.SIZE + x) * 3;
        return new float[] {px[i], px[i + 1], px[i + 2]};
    }

    private static byte[] encoded(BufferedImage image, String format) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    @Test
    void decodingReadsWebpSkipsUnknownFormatsAndOversizedImagesFailsOnDamagedOnesAndSubsamplesLargeOnes() throws Exception {
        byte[] png = encoded(synthetic(3), "png");
        BufferedImage decoded = ImageClassifier.decode(png, 60_000);
        assertEquals(300, decoded.getWidth());
        assertEquals(200, decoded.getHeight());
        assertEquals(synthetic(3).getRGB(123, 45), decoded.getRGB(123, 45));
        assertEquals(null, ImageClassifier.decode(png, 59_999));
        // no reader knows the format
        assertEquals(null, ImageClassifier.decode("not an image at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                Long.MAX_VALUE));
        // WebP through TwelveMonkeys: the lossless one has exactly the PNG's pixels
        BufferedImage webp = ImageClassifier.decode(SampleImages.GRADIENT_WEBP_LOSSLESS, Long.MAX_VALUE);
        BufferedImage gradient = SampleImages.gradient();
        assertEquals(64, webp.getWidth());
        assertEquals(48, webp.getHeight());
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(gradient.getRGB(x, y), webp.getRGB(x, y) | 0xff000000, x + "," + y);
            }
        }
        // a damaged image is an error with the reader's reason, not a silent null
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
        javax.imageio.ImageReader header = javax.imageio.ImageIO.getImageReadersByFormatName("png").next();
        header.setInput(javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(truncated)));
        assertEquals(300, header.getWidth(0), "the header is intact");
        java.io.IOException damaged = assertThrows(java.io.IOException.class,
                () -> ImageClassifier.decode(truncated, Long.MAX_VALUE));
        assertEquals("Error reading PNG image data", damaged.getMessage());
        // 2000x1000: every second pixel of every second row, still at least twice the model's size on each side
        BufferedImage large = new BufferedImage(2000, 1000, BufferedImage.TYPE_INT_RGB);
        large.setRGB(2, 4, 0x123456);
        BufferedImage subsampled = ImageClassifier.decode(encoded(large, "png"), Long.MAX_VALUE);
        assertEquals(1000, subsampled.getWidth());
        assertEquals(500, subsampled.getHeight());
        assertEquals(0x123456, subsampled.getRGB(1, 2) & 0xffffff);
    }

    @Test
    void theModelModuleIsReadWithItsMinifiedLiterals() {
        JsonNode o = ImageClassifier.moduleObject("!function(){a.exports={b:!1,c:.5,d:[-.25,1e-3,-2],e:{f:!0,g:null}}}();");
        assertEquals("{\"b\":false,\"c\":0.5,\"d\":[-0.25,0.001,-2],\"e\":{\"f\":true,\"g\":null}}", o.toString());
    }

    @Test
    void aModelForAnotherInputSizeIsRefused() throws Exception {
        JsonNode topology = new ObjectMapper().readTree("""
                {"model_config": {"config": {"layers": [
                  {"class_name": "InputLayer", "name": "input_1", "config": {"batch_input_shape": [null, 299, 299, 3]},
                   "inbound_nodes": []}
                ], "output_layers": [["input_1", 0, 0]]}}}""");
        assertEquals("layer input_1 takes [null,299,299,3], not [null,224,224,3], which this converter does not handle",
                assertThrows(IllegalArgumentException.class, () -> KerasOnnx.convert(topology, java.util.Map.of(), 224))
                        .getMessage());
    }

    @Test
    void aLayerTheConverterDoesNotKnowIsRefusedByName() throws Exception {
        JsonNode topology = new ObjectMapper().readTree("""
                {"model_config": {"config": {"layers": [
                  {"class_name": "InputLayer", "name": "input_1", "config": {"batch_input_shape": [null, 224, 224, 3]},
                   "inbound_nodes": []},
                  {"class_name": "LSTM", "name": "lstm_1", "config": {}, "inbound_nodes": [[["input_1", 0, 0, {}]]]}
                ], "output_layers": [["lstm_1", 0, 0]]}}}""");
        assertEquals("layer lstm_1 is a LSTM, which this converter does not handle", assertThrows(
                IllegalArgumentException.class, () -> KerasOnnx.convert(topology, java.util.Map.of(), 224)).getMessage());
    }
}
