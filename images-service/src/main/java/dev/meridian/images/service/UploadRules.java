package dev.meridian.images.service;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.meridian.common.error.ApiException;

/** What an uploaded image or mask must be: a PNG under 4 MB, square, at most 4096 pixels a side, readable. */
public final class UploadRules {

    public static final long MAX_BYTES = 4L * 1024 * 1024;

    /** The largest side accepted: outputs are at most 1024x1024, and this bounds what one upload costs to decode. */
    public static final int MAX_SIDE = 4096;

    private UploadRules() {
    }

    /** Reads and checks an upload; {@code param} is {@code image} or {@code mask}. */
    public static BufferedImage png(Path file, long size, String param) {
        if (size >= MAX_BYTES) {
            throw ApiException.invalid(param, "Invalid '" + param + "': uploaded images must be PNG files smaller than 4 MB,"
                    + " but this one has " + size + " bytes.");
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (!dev.meridian.images.engine.Png.isPng(in.readNBytes(8))) {
                throw ApiException.invalid(param, "Invalid '" + param + "': uploaded images must be PNG files.");
            }
        } catch (IOException e) {
            throw ApiException.invalid(param, "Invalid '" + param + "': the upload could not be read.");
        }
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            image = in == null ? null : decode(in, param);
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            image = null;
        }
        if (image == null) {
            throw ApiException.invalid(param, "Invalid '" + param + "': the PNG could not be decoded.");
        }
        return image;
    }

    /**
     * Reads the header first: a small PNG can declare a huge flat image (a decompression bomb), so the size is
     * checked before any pixel is decoded.
     */
    private static BufferedImage decode(ImageInputStream in, String param) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            return null;
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, false);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width != height) {
                throw ApiException.invalid(param, "Invalid '" + param + "': images must be square, but this one is "
                        + width + "x" + height + ".");
            }
            if (width > MAX_SIDE) {
                throw ApiException.invalid(param, "Invalid '" + param + "': images must be at most " + MAX_SIDE + "x"
                        + MAX_SIDE + " pixels, but this one is " + width + "x" + height + ".");
            }
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    /** The upload's bytes, as sent (a PNG that {@link #png} accepted, so under 4 MB). */
    public static byte[] bytes(Path file, String param) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw ApiException.invalid(param, "Invalid '" + param + "': the upload could not be read.");
        }
    }

    /** True if at least one pixel is fully transparent (the area to edit). */
    public static boolean hasTransparency(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return false;
        }
        int width = image.getWidth();
        int[] row = new int[width];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int pixel : row) {
                if ((pixel >>> 24) == 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The image as ARGB at {@code size}x{@code size}, nearest-neighbour scaled if it is another size. */
    public static BufferedImage argb(BufferedImage image, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        int source = image.getWidth();
        int[] row = new int[size];
        for (int y = 0; y < size; y++) {
            int sy = (int) ((long) y * source / size);
            for (int x = 0; x < size; x++) {
                row[x] = image.getRGB((int) ((long) x * source / size), sy);
            }
            out.setRGB(0, y, size, 1, row, 0, size);
        }
        return out;
    }
}
