package dev.meridian.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;

import javax.imageio.ImageIO;

/** Pictures the images-service tests send and the pixels they compare. */
public final class Pictures {

    private Pictures() {
    }

    /** A deterministic picture with a few dozen distinct colours; optionally a transparent hole in the middle. */
    public static BufferedImage pattern(int size, boolean hole) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int argb = 0xff000000 | ((x * 7 / size) * 36 << 16) | ((y * 5 / size) * 50 << 8) | (((x + y) * 3 / size) * 60);
                boolean inHole = hole && x >= size / 4 && x < size * 3 / 4 && y >= size / 4 && y < size / 2;
                image.setRGB(x, y, inHole ? 0x00000000 : argb);
            }
        }
        return image;
    }

    /** Opaque everywhere except a fully transparent rectangle: the area to edit. */
    public static BufferedImage mask(int size, int x0, int y0, int w, int h) {
        BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean edit = x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
                mask.setRGB(x, y, edit ? 0x00000000 : 0xff000000);
            }
        }
        return mask;
    }

    public static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    public static List<Integer> region(BufferedImage image, int x0, int y0, int w, int h) {
        List<Integer> pixels = new java.util.ArrayList<>(w * h);
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                pixels.add(image.getRGB(x, y));
            }
        }
        return pixels;
    }
}
