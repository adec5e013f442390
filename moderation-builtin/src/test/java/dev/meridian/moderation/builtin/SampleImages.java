package dev.meridian.moderation.builtin;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/**
 * A colour gradient as PNG and as WebP (lossless, with the same pixels, and lossy), encoded by libwebp's cwebp 1.x
 * ({@code cwebp -lossless -exact} and {@code cwebp -q 80} of the PNG); moderation-service's tests use them too
 * (this module's test jar).
 */
public final class SampleImages {

    /** 64x48, red rising to the right, green downwards, blue 90. */
    public static final byte[] GRADIENT_PNG = encoded(gradient(), "png");

    public static final byte[] GRADIENT_WEBP_LOSSLESS = java.util.Base64.getDecoder().decode(
            "UklGRkAAAABXRUJQVlA4TDQAAAAvP8ALAAmAIAb8RyuI6H/qC4Ag/KcriOh/6lDTtgHTyR94/4pA0hZv+0crJgDErRfA+v8G");

    public static final byte[] GRADIENT_WEBP_LOSSY = java.util.Base64.getDecoder().decode(
            "UklGRgQBAABXRUJQVlA4IPgAAACwCACdASpAADAAPm0ukkWvLyGYDqwA8AbEszX5P/rBieckA82bYRNGZz5nlGYEAUR4ZiPI6W8BveV6"
            + "Ox0X128NFqFzxG/1zrqPgZED5gAA/veu1/fMFv/+my2hAbO5+R/4E/hztW29lnl1akT3dxoDnu2P+ahV9Y/4SADfM2T4Z/j9sA3u7jQL"
            + "DOeje2boSc/PM/8Xt//prOFtLC1edZSFDBGPyN17rVLghs7iF8O7x+V06O01hQjNkuRkNXM5fIqYiYySRIYGSaQRfORy2yMAFXBwsxpd"
            + "J1GcydAUTu06vzEdsoCaOJ1Fk2jIlIpINeGtwJNT4AAAAA==");

    private SampleImages() {
    }

    public static BufferedImage gradient() {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 90);
            }
        }
        return img;
    }

    public static byte[] encoded(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
