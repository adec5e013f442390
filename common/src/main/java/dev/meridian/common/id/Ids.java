package dev.meridian.common.id;

import java.security.SecureRandom;

/** OpenAI-style identifiers: a type prefix, an underscore and 24 random base62 characters ({@code asst_…}). */
public final class Ids {

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String next(String prefix) {
        return next(prefix, '_');
    }

    /** An id with another separator, for the objects OpenAI spells that way ({@code modr-…}). */
    public static String next(String prefix, char separator) {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return prefix + separator + new String(out);
    }
}
