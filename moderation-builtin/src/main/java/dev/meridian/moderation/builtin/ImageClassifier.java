package dev.meridian.moderation.builtin;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The built-in image classifier: nsfwjs's MobileNetV2 (Infinite Red, MIT licence, shipped in the npm package
 * {@code nsfwjs}), which sorts an image into five classes, {@code drawing}, {@code hentai}, {@code neutral},
 * {@code porn} and {@code sexy}. The build unpacks the model's two files from the package (see the moderation-service
 * POM); they are JavaScript modules wrapping the Keras topology and the 8-bit quantised weights, which this class
 * reads and {@link KerasOnnx} turns into an ONNX graph for ONNX Runtime, so it computes what TensorFlow.js computes.
 * <p>
 * An image is read as nsfwjs reads it: its RGB channels (alpha ignored) scaled to [0, 1], resized to 224x224 by
 * bilinear interpolation with aligned corners. Its {@link #sexual} score is the probability of {@code porn} plus that
 * of {@code hentai}: sexually explicit photographs and drawings. {@code sexy} (suggestive, not explicit) does not
 * count. Thread-safe; about 9 ms of one core for a 1024x1024 image after the decoding (resizing and the model).
 */
public final class ImageClassifier implements AutoCloseable {

    public static final int SIZE = 224;

    /** The model's output classes, in order. */
    public static final List<String> CLASSES = List.of("drawing", "hentai", "neutral", "porn", "sexy");

    private static final String DIRECTORY = "/builtin/nsfw/";

    /** The model as an ONNX graph, which the build writes ({@link BuildArtifacts}) and the classifier runs. */
    static final String GRAPH = DIRECTORY + "model.onnx";
    private static final Pattern LEADING_POINT = Pattern.compile("([:,\\[]-?)\\.(\\d)");
    private static final ObjectMapper JS = JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .build();

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String input;

    /** Loads the model's ONNX graph, which the build converted ({@link BuildArtifacts}), from the classpath. */
    public ImageClassifier() {
        environment = OrtEnvironment.getEnvironment();
        try (InputStream onnx = BuildArtifacts.resource(GRAPH);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = environment.createSession(onnx.readAllBytes(), options);
            input = session.getInputNames().iterator().next();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load the image model", e);
        }
    }

    /** The ONNX graph of the model that nsfwjs ships ({@code builtin/nsfw/model.min.js}): what the build writes. */
    static byte[] convertedModel() {
        return onnx(read("model.min.js"));
    }

    /** The ONNX graph of the model whose {@code model.json} module is {@code modelJs}, its shards read beside it. */
    static byte[] onnx(String modelJs) {
        JsonNode model = moduleObject(modelJs);
        Map<String, KerasOnnx.Weight> weights = new HashMap<>();
        for (JsonNode group : model.path("weightsManifest")) {
            byte[] bytes = concatenatedShards(group.path("paths"));
            int offset = 0;
            for (JsonNode w : group.path("weights")) {
                offset = decode(w, bytes, offset, weights);
            }
            if (offset != bytes.length) {
                throw new IllegalStateException("the shards " + group.path("paths") + " hold " + bytes.length
                        + " bytes, the manifest " + offset);
            }
        }
        return KerasOnnx.convert(model.path("modelTopology"), weights, SIZE);
    }

    private static byte[] concatenatedShards(JsonNode paths) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (JsonNode path : paths) {
            String module = read(path.asText() + ".min.js");
            int start = module.indexOf("exports=\"");
            if (start < 0) {
                throw new IllegalStateException(path.asText() + ".min.js exports no string");
            }
            start += "exports=\"".length();
            all.writeBytes(Base64.getDecoder().decode(module.substring(start, module.indexOf('"', start))));
        }
        return all.toByteArray();
    }

    /** Reads one weight of the manifest from {@code bytes} at {@code offset}; returns the offset after it. */
    private static int decode(JsonNode manifest, byte[] bytes, int offset, Map<String, KerasOnnx.Weight> weights) {
        JsonNode shapeNode = manifest.path("shape");
        long[] shape = new long[shapeNode.size()];
        int n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.path(i).asLong();
            n *= (int) shape[i];
        }
        float[] values = new float[n];
        JsonNode q = manifest.path("quantization");
        String name = manifest.path("name").asText();
        if (!manifest.path("dtype").asText().equals("float32")) {
            throw new IllegalStateException(name + " is " + manifest.path("dtype").asText() + ", not float32");
        }
        if (q.isMissingNode()) {
            java.nio.ByteBuffer raw = java.nio.ByteBuffer.wrap(bytes, offset, n * Float.BYTES)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                values[i] = raw.getFloat();
            }
            offset += n * Float.BYTES;
        } else if (q.path("dtype").asText().equals("uint8")) {
            double min = q.path("min").asDouble();
            double scale = q.path("scale").asDouble();
            for (int i = 0; i < n; i++) {
                values[i] = (float) (min + scale * (bytes[offset + i] & 0xff));
            }
            offset += n;
        } else {
            throw new IllegalStateException(name + " is quantised as " + q.path("dtype").asText() + ", not uint8");
        }
        weights.put(name, new KerasOnnx.Weight(shape, values));
        return offset;
    }

    /**
     * The object a module of the form {@code ...exports={...}...} exports: a JavaScript object literal, read as JSON
     * once its minified forms are spelled out ({@code !1}, {@code !0}, {@code .5}).
     */
    static JsonNode moduleObject(String module) {
        int start = module.indexOf("exports={");
        if (start < 0) {
            throw new IllegalStateException("the model module exports no object");
        }
        String literal = module.substring(start + "exports=".length()).replace("!1", "false").replace("!0", "true");
        literal = LEADING_POINT.matcher(literal).replaceAll("$10.$2");
        try (JsonParser parser = JS.createParser(literal)) {
            return JS.readTree(parser); // stops at the end of the object
        } catch (IOException e) {
            throw new IllegalStateException("the model module's object is not readable: " + e.getMessage(), e);
        }
    }

    private static String read(String name) {
        try (InputStream in = ImageClassifier.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("builtin/nsfw/" + name + " is missing from the classpath: the build"
                        + " unpacks it from the npm package nsfwjs");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The image in {@code bytes} (PNG, JPEG, GIF or WebP, the first frame of an animation), or {@code null} if no
     * reader knows its format or it has more than {@code maxPixels} pixels. WebP is read by TwelveMonkeys'
     * {@code imageio-webp}, which registers itself with ImageIO. A large image is read subsampled to no less than
     * twice the model's size on its shorter side, which bounds the memory it takes.
     *
     * @throws IOException if its reader cannot decode it (damaged data, or a variant the JDK does not read, such as a
     *         CMYK JPEG), with the reader's reason
     */
    public static BufferedImage decode(byte[] bytes, long maxPixels) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > maxPixels) {
                    return null;
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.min(width, height) / (2 * SIZE));
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } catch (RuntimeException e) { // the JDK's readers also fail on some damaged data with runtime exceptions
                throw new IOException(reader.getFormatName() + " reader failed: " + e, e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The probability of each of {@link #CLASSES} for the image. */
    public float[] classify(BufferedImage image) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(pixels(image)),
                new long[] {1, SIZE, SIZE, 3}); OrtSession.Result result = session.run(Map.of(input, tensor))) {
            return ((float[][]) result.get(0).getValue())[0];
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on an image", e);
        }
    }

    /** The probability that the image is sexually explicit: {@code porn} plus {@code hentai}. */
    public double sexual(BufferedImage image) {
        float[] p = classify(image);
        return Math.min(1.0, (double) p[CLASSES.indexOf("porn")] + p[CLASSES.indexOf("hentai")]);
    }

    /**
     * The model's input: the image's RGB channels scaled to [0, 1], resized to {@link #SIZE} squared by bilinear
     * interpolation with aligned corners (the first and last rows and columns map onto the image's own), row by row,
     * channels last.
     */
    static float[] pixels(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] out = new float[SIZE * SIZE * 3];
        double sy = height > 1 ? (height - 1) / (double) (SIZE - 1) : 0;
        double sx = width > 1 ? (width - 1) / (double) (SIZE - 1) : 0;
        for (int y = 0; y < SIZE; y++) {
            double fy = y * sy;
            int y0 = (int) Math.floor(fy);
            int y1 = Math.min(y0 + 1, height - 1);
            float ly = (float) (fy - y0);
            for (int x = 0; x < SIZE; x++) {
                double fx = x * sx;
                int x0 = (int) Math.floor(fx);
                int x1 = Math.min(x0 + 1, width - 1);
                float lx = (float) (fx - x0);
                int a = image.getRGB(x0, y0);
                int b = image.getRGB(x1, y0);
                int c = image.getRGB(x0, y1);
                int d = image.getRGB(x1, y1);
                for (int channel = 0; channel < 3; channel++) {
                    int shift = 16 - 8 * channel;
                    float top = channel(a, shift) + (channel(b, shift) - channel(a, shift)) * lx;
                    float bottom = channel(c, shift) + (channel(d, shift) - channel(c, shift)) * lx;
                    out[(y * SIZE + x) * 3 + channel] = top + (bottom - top) * ly;
                }
            }
        }
        return out;
    }

    private static float channel(int argb, int shift) {
        return ((argb >> shift) & 0xff) / 255f;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
