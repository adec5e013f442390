package dev.meridian.moderation.builtin;

import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Undoes the usual disguises before anything is matched, and splits the text into words.
 * <ul>
 * <li>compatibility forms (full-width, mathematical letters) via NFKC, accents and other combining marks dropped;</li>
 * <li>look-alike Cyrillic and Greek letters mapped to the Latin letters they imitate;</li>
 * <li>mixed case folded;</li>
 * <li>leetspeak inside a word ({@code k1ll}, {@code h@te}, {@code $uicide}) mapped back to letters;</li>
 * <li>symbols inserted inside a word ({@code k.i.l.l}, {@code k-i-l-l}) removed; a masking symbol
 * ({@code f*ck}) kept as {@link #MASK} so the lexicon can match it as any one letter;</li>
 * <li>letters spelt out with spaces ({@code k i l l}) joined again;</li>
 * <li>runs of a repeated letter squeezed to one ({@code kiiiill} and {@code kill} both become {@code kil}); the
 * lexicon is squeezed the same way, so this loses nothing.</li>
 * </ul>
 * Ages written as numbers ("13 year old", "13yo") are read before digits are treated as letters.
 */
public final class Normalizer {

    /** Stands for one masked letter in a word, as in {@code f*ck}. */
    public static final char MASK = '?';

    private static final Pattern AGE = Pattern.compile(
            "(?<![\\d.])(\\d{1,2})\\s*(?:-\\s*)?(?:years?|yrs?|yo|y/o|y\\.o\\.)(?![a-z])");

    private Normalizer() {
    }

    /** The words and the ages stated in a text. */
    public record Text(List<String> words, List<Integer> ages) {
    }

    public static Text normalize(String raw) {
        String text = foldCharacters(raw);
        List<Integer> ages = new ArrayList<>();
        Matcher m = AGE.matcher(text);
        while (m.find()) {
            ages.add(Integer.parseInt(m.group(1)));
        }
        return new Text(joinSpelledOut(words(text)), ages);
    }

    /** NFKC, marks removed, look-alikes mapped, lower case; zero-width characters dropped. */
    static String foldCharacters(String raw) {
        String s = java.text.Normalizer.normalize(raw, Form.NFKC);
        s = java.text.Normalizer.normalize(s, Form.NFD);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK || type == Character.FORMAT) {
                continue; // accents, zero-width space/joiners, soft hyphen, BOM
            }
            out.append(Character.toLowerCase(homoglyph(c)));
        }
        return out.toString();
    }

    private static char homoglyph(char c) {
        return switch (c) {
            case 'а', 'А', 'α', 'Α' -> 'a';
            case 'в', 'В', 'β', 'Β' -> 'b';
            case 'с', 'С', 'ϲ' -> 'c';
            case 'е', 'Е', 'ё', 'ε', 'Ε' -> 'e';
            case 'һ', 'Н', 'Η' -> 'h';
            case 'і', 'І', 'ι', 'Ι', 'ı' -> 'i';
            case 'ј', 'Ј' -> 'j';
            case 'к', 'К', 'κ', 'Κ' -> 'k';
            case 'ӏ' -> 'l';
            case 'м', 'М', 'Μ' -> 'm';
            case 'п', 'η', 'Ν' -> 'n';
            case 'о', 'О', 'ο', 'Ο', 'σ' -> 'o';
            case 'р', 'Р', 'ρ', 'Ρ' -> 'p';
            case 'ԛ' -> 'q';
            case 'г' -> 'r';
            case 'ѕ', 'Ѕ' -> 's';
            case 'т', 'Т', 'τ', 'Τ' -> 't';
            case 'υ', 'ц' -> 'u';
            case 'ν', 'ѵ' -> 'v';
            case 'ш', 'ω' -> 'w';
            case 'х', 'Х', 'χ', 'Χ' -> 'x';
            case 'у', 'У', 'γ', 'Υ' -> 'y';
            case 'Ζ' -> 'z';
            default -> c;
        };
    }

    private static char leet(char c) {
        return switch (c) {
            case '0' -> 'o';
            case '1', '!' -> 'i';
            case '|' -> 'l';
            case '3' -> 'e';
            case '4', '@' -> 'a';
            case '5', '$' -> 's';
            case '7', '+' -> 't';
            case '8' -> 'b';
            case '9' -> 'g';
            case '€' -> 'e';
            default -> 0;
        };
    }

    private static boolean masking(char c) {
        return c == '*' || c == '#' || c == '%';
    }

    private static boolean joining(char c) {
        return c == '.' || c == '-' || c == '_' || c == '~' || c == '^' || c == '\'' || c == '’' || c == '`'
                || c == ',' || c == '/' || c == '\\' || c == ':' || c == ';' || c == '=' || c == '"';
    }

    /**
     * Splits on white space and punctuation. Inside a chunk that has letters, leet characters become letters,
     * masking symbols become {@link #MASK}, and joining punctuation between two letters disappears.
     */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (start < i) {
                splitChunk(text.substring(start, i), words);
            }
        }
        return words;
    }

    private static void splitChunk(String chunk, List<String> words) {
        boolean hasLetter = false;
        for (int k = 0; k < chunk.length() && !hasLetter; k++) {
            hasLetter = Character.isLetter(chunk.charAt(k));
        }
        // map leet characters (only where the chunk has letters, so "2024" and "$5" stay what they are)
        char[] c = new char[chunk.length()];
        for (int k = 0; k < c.length; k++) {
            char ch = chunk.charAt(k);
            char l = leet(ch);
            c[k] = hasLetter && l != 0 && leetInWord(c, chunk, k) ? l : ch;
        }
        StringBuilder word = new StringBuilder();
        for (int k = 0; k < c.length; k++) {
            char ch = c[k];
            if (Character.isLetter(ch)) {
                word.append(ch);
            } else if (masking(ch) && word.length() > 0 && letterAfterMasks(c, k)) {
                word.append(MASK);
            } else if (joining(ch) && word.length() > 0 && k + 1 < c.length && Character.isLetter(c[k + 1])) {
                // k.i.l.l, self-harm, don't: the word goes on
            } else {
                flush(word, words);
            }
        }
        flush(word, words);
    }

    /**
     * A leet character counts as a letter inside a word: after a letter ({@code k1ll}, {@code h@te}), or as the
     * first character of a word of three more letters ({@code 1diot}, {@code 1d10t}, {@code $uicide}). Numbers with units ("13yo", "5am",
     * "2nd") stay numbers; {@code !} and {@code +} only count between two letters ("wow!", "a+").
     */
    private static boolean leetInWord(char[] mapped, String chunk, int k) {
        char ch = chunk.charAt(k);
        boolean prevLetter = k > 0 && Character.isLetter(mapped[k - 1]);
        boolean nextLetter = k + 1 < chunk.length() && Character.isLetter(chunk.charAt(k + 1));
        if (ch == '!' || ch == '+') {
            return prevLetter && nextLetter;
        }
        if (!Character.isDigit(ch)) {
            return prevLetter || nextLetter; // @, $, |, €
        }
        if (prevLetter) {
            return true;
        }
        boolean startsWord = k == 0 || !Character.isLetterOrDigit(chunk.charAt(k - 1));
        if (!startsWord || !nextLetter) {
            return false;
        }
        int wordLike = 0;
        for (int j = k + 1; j < chunk.length(); j++) {
            char c = chunk.charAt(j);
            if (Character.isLetter(c) || leet(c) != 0) {
                wordLike++;
            }
        }
        return wordLike >= 3;
    }

    private static boolean letterAfterMasks(char[] c, int k) {
        int j = k;
        while (j < c.length && masking(c[j])) {
            j++;
        }
        return j < c.length && Character.isLetter(c[j]);
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(squeeze(word));
            word.setLength(0);
        }
    }

    /** Runs of the same letter become one letter. */
    public static String squeeze(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        char last = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != last || c == MASK) {
                out.append(c);
            }
            last = c;
        }
        return out.toString();
    }

    /** Three or more one-letter words in a row are one word spelt out: "k i l l" → "kil". */
    static List<String> joinSpelledOut(List<String> words) {
        List<String> out = new ArrayList<>(words.size());
        int i = 0;
        while (i < words.size()) {
            int j = i;
            while (j < words.size() && words.get(j).length() == 1) {
                j++;
            }
            if (j - i >= 3) {
                StringBuilder joined = new StringBuilder();
                for (int k = i; k < j; k++) {
                    joined.append(words.get(k));
                }
                out.add(squeeze(joined));
                i = j;
            } else {
                out.add(words.get(i));
                i++;
            }
        }
        return out;
    }
}
