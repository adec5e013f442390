package dev.meridian.moderation.builtin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Word groups ({@code builtin/lexicon.txt}) and how often each occurs in a normalised text. Entries are normalised
 * exactly like the text, so one spelling of an entry catches its disguised forms. A stem entry ({@code kill*})
 * matches the stem plus one of a fixed set of English endings; a masked word ({@code f?ck}) matches an entry of the
 * same length where the mask stands for any one letter; a word split in two ({@code sui cide}) matches when the
 * halves are not ordinary short words.
 */
public final class Lexicon {

    /** English endings a stem may take (squeezed like every word). */
    private static final List<String> SUFFIXES = List.of("", "s", "es", "e", "ed", "d", "er", "ers", "r", "rs", "ing",
            "ings", "in", "ly", "y", "ie", "ies", "ish", "ism", "isms", "ist", "ists", "ation", "ations", "ion", "ions",
            "ous", "ful", "nes", "ment", "ments", "al", "aly", "able", "ity", "ities", "ic", "ics", "ize", "ized",
            "izes", "izing", "ise", "ised", "ia", "iac", "iacs", "ive", "ives", "ez", "z", "a", "as");

    /** Short words too common to be half of a split word. */
    private static final Set<String> COMMON = Set.of("a", "an", "the", "be", "at", "to", "in", "on", "of", "is", "it",
            "as", "or", "and", "i", "me", "my", "we", "he", "she", "so", "no", "do", "go", "up", "us", "by", "if", "am",
            "are", "was", "for", "but", "not", "you", "her", "his", "him", "our", "all", "can", "had", "has", "did",
            "get", "got", "out", "off", "one", "too", "two", "way", "who", "how", "why", "now", "new", "see", "say",
            "any", "own", "man", "men", "day", "let", "put", "end", "far", "few", "yes", "yet", "ago", "its", "hey",
            "bad", "big", "old", "top", "try", "use", "art", "car", "ask", "run", "set", "sit", "win", "lot", "per",
            "via", "oh", "ok", "ah", "re", "th", "st", "nd", "rd", "s", "t", "d", "m", "ve", "ll");

    private record Entry(int group, String[] tokens, boolean[] stems) {
    }

    private final List<String> groups;
    private final Map<String, List<Entry>> exactFirst = new HashMap<>();
    private final Map<String, List<Entry>> stemFirst = new HashMap<>();
    private final List<Entry> singles = new ArrayList<>();

    private Lexicon(List<String> groups) {
        this.groups = List.copyOf(groups);
    }

    public static Lexicon load() {
        try (InputStream in = Lexicon.class.getResourceAsStream("/builtin/lexicon.txt")) {
            if (in == null) {
                throw new IllegalStateException("builtin/lexicon.txt is missing from the classpath");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Lexicon parse(List<String> lines) {
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("lexicon line without 'group:': " + line);
            }
            List<String> entries = byGroup.computeIfAbsent(l.substring(0, colon).strip(), g -> new ArrayList<>());
            for (String e : l.substring(colon + 1).split(",")) {
                if (!e.isBlank()) {
                    entries.add(e.strip());
                }
            }
        }
        Lexicon lexicon = new Lexicon(new ArrayList<>(byGroup.keySet()));
        int g = 0;
        for (List<String> entries : byGroup.values()) {
            for (String e : entries) {
                lexicon.add(g, e);
            }
            g++;
        }
        return lexicon;
    }

    private void add(int group, String entry) {
        String[] raw = entry.split("\\s+");
        String[] tokens = new String[raw.length];
        boolean[] stems = new boolean[raw.length];
        for (int i = 0; i < raw.length; i++) {
            stems[i] = raw[i].endsWith("*");
            String word = stems[i] ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
            List<String> normal = Normalizer.words(Normalizer.foldCharacters(word));
            if (normal.size() != 1) {
                throw new IllegalArgumentException("lexicon word '" + raw[i] + "' does not normalise to one word");
            }
            tokens[i] = normal.get(0);
            if (raw.length == 1 && !tokens[i].equals(word.toLowerCase(java.util.Locale.ROOT)) && COMMON.contains(tokens[i])) {
                // squeezing repeated letters can turn a word into an everyday one ("thee" into "the"); inside a
                // phrase the other words keep the match specific ("fuck off")
                throw new IllegalArgumentException("lexicon word '" + raw[i] + "' normalises to the common word '"
                        + tokens[i] + "' and would match it everywhere");
            }
        }
        Entry e = new Entry(group, tokens, stems);
        (stems[0] ? stemFirst : exactFirst).computeIfAbsent(tokens[0], k -> new ArrayList<>()).add(e);
        if (tokens.length == 1) {
            singles.add(e);
        }
    }

    public List<String> groups() {
        return groups;
    }

    /**
     * The words as the lexicon reads them: a masked word that fits exactly one lexicon word becomes that word
     * ({@code f?ck} → {@code fuck}), and a word split in two becomes one when the halves are not ordinary short
     * words and together they make a lexicon word ({@code sui cide} → {@code suicide}).
     */
    public List<String> canonical(List<String> words) {
        List<String> out = new ArrayList<>(words.size());
        int n = words.size();
        for (int i = 0; i < n; i++) {
            String w = words.get(i);
            if (w.indexOf(Normalizer.MASK) >= 0) {
                out.add(unmask(w));
                continue;
            }
            if (i + 1 < n && !known(w) && !known(words.get(i + 1))
                    && (w.length() <= 3 || words.get(i + 1).length() <= 3)
                    && !COMMON.contains(w) && !COMMON.contains(words.get(i + 1))) {
                String joined = Normalizer.squeeze(w + words.get(i + 1));
                if (known(joined)) {
                    out.add(joined);
                    i++;
                    continue;
                }
            }
            out.add(w);
        }
        return out;
    }

    private String unmask(String word) {
        String only = null;
        for (Entry e : singles) {
            String match = maskedMatch(word, e);
            if (match != null) {
                if (only != null && !only.equals(match)) {
                    return word; // ambiguous: leave it masked
                }
                only = match;
            }
        }
        return only == null ? word : only;
    }

    /** Whether a single word is a lexicon word (exactly, or a stem with an ending). */
    private boolean known(String w) {
        if (exactFirst.containsKey(w) && exactFirst.get(w).stream().anyMatch(e -> e.tokens.length == 1)) {
            return true;
        }
        for (String suffix : SUFFIXES) {
            if (w.length() - suffix.length() >= 2 && w.endsWith(suffix)) {
                List<Entry> stems = stemFirst.get(w.substring(0, w.length() - suffix.length()));
                if (stems != null && stems.stream().anyMatch(e -> e.tokens.length == 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How many times each group occurs in canonical {@code words}; at most one match per group starts at each word. */
    public int[] count(List<String> words) {
        return counts(marks(words));
    }

    /** How many positions each group marks, from {@link #marks}. */
    public static int[] counts(boolean[][] marks) {
        int[] counts = new int[marks.length];
        for (int g = 0; g < counts.length; g++) {
            for (boolean m : marks[g]) {
                counts[g] += m ? 1 : 0;
            }
        }
        return counts;
    }

    /** For each group, the positions of canonical {@code words} where one of its entries starts. */
    public boolean[][] marks(List<String> words) {
        int n = words.size();
        boolean[][] marks = new boolean[groups.size()][n];
        boolean[] seen = new boolean[groups.size()];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(seen, false);
            String w = words.get(i);
            matchAt(words, i, exactFirst.get(w), seen);
            for (String suffix : SUFFIXES) {
                if (w.length() - suffix.length() >= 2 && w.endsWith(suffix)) {
                    matchAt(words, i, stemFirst.get(w.substring(0, w.length() - suffix.length())), seen);
                }
            }
            for (int g = 0; g < seen.length; g++) {
                marks[g][i] = seen[g];
            }
        }
        return marks;
    }

    private static void matchAt(List<String> words, int i, List<Entry> candidates, boolean[] seen) {
        if (candidates == null) {
            return;
        }
        for (Entry e : candidates) {
            if (seen[e.group] || i + e.tokens.length > words.size()) {
                continue;
            }
            boolean all = true;
            for (int k = 1; k < e.tokens.length && all; k++) {
                all = tokenMatches(e.tokens[k], e.stems[k], words.get(i + k));
            }
            if (all) {
                seen[e.group] = true;
            }
        }
    }

    private static boolean tokenMatches(String token, boolean stem, String word) {
        if (!stem) {
            return token.equals(word);
        }
        return word.startsWith(token) && SUFFIXES.contains(word.substring(token.length()));
    }

    /** The lexicon word a masked word stands for under this entry, or null. */
    private static String maskedMatch(String word, Entry e) {
        String t = e.tokens[0];
        if (!e.stems[0]) {
            return sameWithMask(word, t) ? t : null;
        }
        for (String suffix : SUFFIXES) {
            if (word.length() == t.length() + suffix.length() && sameWithMask(word, t + suffix)) {
                return t + suffix;
            }
        }
        return null;
    }

    private static boolean sameWithMask(String word, String token) {
        if (word.length() != token.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c != Normalizer.MASK && c != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
