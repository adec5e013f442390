package dev.meridian.images.engine;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The built-in development engine, honest about what it is: no model, just deterministic abstract
 * images. The same model, prompt, size and index always give the same pixels; different indexes
 * give different images. A gradient background with soft discs, rendered straight into a pixel
 * buffer and encoded by {@link Png}.
 */
@ApplicationScoped
public class ProceduralEngine implements ImageEngine {

    public static final String NAME = "procedural";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RenderedImage> generate(GenerationSpec spec) {
        List<RenderedImage> images = new ArrayList<>(spec.n());
        for (int index = 0; index < spec.n(); index++) {
            int[] pixels = render(seed(spec, index), spec.width(), spec.height(), "hd".equals(spec.quality()));
            String revised = "dall-e-3".equals(spec.model()) ? revise(spec) : null;
            images.add(new RenderedImage(encode(pixels, spec.width(), spec.height()), revised));
        }
        return images;
    }

    @Override
    public List<RenderedImage> edit(EditSpec spec) {
        int width = spec.source().getWidth();
        int height = spec.source().getHeight();
        int[] source = spec.source().getRGB(0, 0, width, height, null, 0, width);
        int[] mask = spec.mask().getRGB(0, 0, width, height, null, 0, width);
        List<RenderedImage> images = new ArrayList<>(spec.n());
        for (int index = 0; index < spec.n(); index++) {
            GenerationSpec fill = new GenerationSpec(spec.model(), spec.prompt(), 1, width, height, null, null, null);
            int[] painted = render(seed(fill, index), width, height, false);
            int[] out = new int[width * height];
            for (int i = 0; i < out.length; i++) {
                // fully transparent in the mask: the area to edit; everything else is the source, untouched
                out[i] = (mask[i] >>> 24) == 0 ? 0xff000000 | painted[i] : source[i];
            }
            images.add(new RenderedImage(encodeArgb(out, width, height), null));
        }
        return images;
    }

    @Override
    public List<RenderedImage> vary(VariationSpec spec) {
        int width = spec.source().getWidth();
        int height = spec.source().getHeight();
        int[] source = spec.source().getRGB(0, 0, width, height, null, 0, width);
        long base = java.util.Arrays.hashCode(source);
        List<RenderedImage> images = new ArrayList<>(spec.n());
        for (int index = 0; index < spec.n(); index++) {
            SplittableRandom random = new SplittableRandom(base * 31 + index);
            // a per-variation colour cast and brightness: same layout, different rendition
            double rGain = 0.8 + random.nextDouble() * 0.4;
            double gGain = 0.8 + random.nextDouble() * 0.4;
            double bGain = 0.8 + random.nextDouble() * 0.4;
            int lift = random.nextInt(-24, 25);
            int[] out = new int[source.length];
            for (int i = 0; i < out.length; i++) {
                int p = source[i];
                out[i] = (p & 0xff000000) | (channel(((p >> 16) & 0xff) * rGain + lift) << 16)
                        | (channel(((p >> 8) & 0xff) * gGain + lift) << 8) | channel((p & 0xff) * bGain + lift);
            }
            images.add(new RenderedImage(encodeArgb(out, width, height), null));
        }
        return images;
    }

    private static int channel(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }

    /** A deterministic elaboration, standing in for dall-e-3's prompt rewriting. */
    static String revise(GenerationSpec spec) {
        return spec.prompt() + " — rendered as an abstract procedural composition, "
                + (spec.style() == null ? "vivid" : spec.style()) + " style, "
                + (spec.quality() == null ? "standard" : spec.quality()) + " quality.";
    }

    static long seed(GenerationSpec spec, int index) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((spec.model() + '\u0000' + spec.prompt() + '\u0000' + spec.width() + 'x' + spec.height() + '\u0000'
                    + spec.style() + '\u0000' + spec.quality() + '\u0000' + index).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int[] render(long seed, int width, int height, boolean detailed) {
        SplittableRandom random = new SplittableRandom(seed);
        int from = random.nextInt(0x1000000);
        int to = random.nextInt(0x1000000);
        double angle = random.nextDouble() * Math.PI * 2;
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        double span = Math.abs(dx) * width + Math.abs(dy) * height;
        double offset = Math.min(0, dx * width) + Math.min(0, dy * height);
        int[] pixels = new int[width * height];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                double t = ((x * dx + y * dy) - offset) / span;
                pixels[row + x] = mix(from, to, t);
            }
        }
        int discs = (detailed ? 10 : 5) + random.nextInt(6);
        int scale = Math.min(width, height);
        for (int d = 0; d < discs; d++) {
            int cx = random.nextInt(width);
            int cy = random.nextInt(height);
            int r = scale / 20 + random.nextInt(scale / 4);
            int color = random.nextInt(0x1000000);
            double opacity = 0.35 + random.nextDouble() * 0.5;
            disc(pixels, width, height, cx, cy, r, color, opacity);
        }
        return pixels;
    }

    private static void disc(int[] pixels, int width, int height, int cx, int cy, int r, int color, double opacity) {
        int x0 = Math.max(0, cx - r);
        int x1 = Math.min(width - 1, cx + r);
        int y0 = Math.max(0, cy - r);
        int y1 = Math.min(height - 1, cy + r);
        double r2 = (double) r * r;
        for (int y = y0; y <= y1; y++) {
            int row = y * width;
            double ddy = (double) (y - cy) * (y - cy);
            for (int x = x0; x <= x1; x++) {
                double d2 = (x - cx) * (double) (x - cx) + ddy;
                if (d2 <= r2) {
                    double edge = 1 - d2 / r2;
                    pixels[row + x] = mix(pixels[row + x], color, opacity * Math.min(1, edge * 4));
                }
            }
        }
    }

    private static int mix(int a, int b, double t) {
        int r = (int) (((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
        int g = (int) (((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
        int bl = (int) ((a & 0xff) * (1 - t) + (b & 0xff) * t);
        return (r << 16) | (g << 8) | bl;
    }

    static byte[] encode(int[] pixels, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, pixels, 0, width);
        return Png.encode(image);
    }

    /** With alpha, so that an edit's untouched pixels keep their exact ARGB values. */
    static byte[] encodeArgb(int[] pixels, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, width, height, pixels, 0, width);
        return Png.encode(image);
    }
}
