package dev.meridian.moderation.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hand-written training texts that {@link Train} adds to every category's training rows, never to the rows it
 * measures: the file {@code moderation-training/data/texts.txt}. Its syntax: {@code @slot: value, value, ...}
 * defines a slot; {@code N: template} expands the template N times with each {@code {slot}} drawn by a fixed seed (so
 * the texts are the same on every run); {@code #} starts a comment; any other line is one text. A line may start with
 * {@code [category, ...]}, the labelled categories the text belongs to; it is negative for the others. A text written
 * twice is kept once.
 */
public final class WrittenTexts {

    /** A text and the labelled categories it is positive for. */
    public record Text(String text, Set<String> categories) {
    }

    private static final Pattern LABELS = Pattern.compile("\\[([^]]*)]\\s*(.*)");
    private static final Pattern TEMPLATE = Pattern.compile("(\\d+):\\s*(.+)");
    private static final Pattern SLOT = Pattern.compile("\\{([a-z]+)}");

    private WrittenTexts() {
    }

    /** The texts of a check file: one per line, without blank lines and {@code #} comments. */
    public static List<String> checks(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    /**
     * The written texts of {@code file}; refused if one of them is also in a check file of the same directory
     * ({@code check-*.txt}, which {@link Evaluate} measures), since a check is only worth something on unseen text.
     */
    public static List<Text> read(Path file) throws IOException {
        List<Text> texts = parse(file);
        Path dir = file.toAbsolutePath().getParent();
        try (var checkFiles = Files.newDirectoryStream(dir, "check-*.txt")) {
            for (Path check : checkFiles) {
                Set<String> seen = new java.util.HashSet<>();
                checks(check).forEach(t -> seen.add(t.toLowerCase(java.util.Locale.ROOT)));
                for (Text t : texts) {
                    if (seen.contains(t.text().toLowerCase(java.util.Locale.ROOT))) {
                        throw new IllegalArgumentException(file + " has \"" + t.text() + "\", which " + check
                                + " checks: keep training texts and check texts apart");
                    }
                }
            }
        }
        return texts;
    }

    private static List<Text> parse(Path file) throws IOException {
        Map<String, List<String>> slots = new HashMap<>();
        Map<String, Text> texts = new LinkedHashMap<>();
        Random random = new Random(11);
        int lineNumber = 0;
        for (String raw : Files.readAllLines(file)) {
            lineNumber++;
            String line = raw.strip();
            String where = file + ":" + lineNumber + ": ";
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("@")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException(where + "a slot needs 'name: values'");
                }
                slots.put(line.substring(1, colon).strip(),
                        Arrays.stream(line.substring(colon + 1).split(",")).map(String::strip).toList());
                continue;
            }
            Set<String> categories = Set.of();
            Matcher labelled = LABELS.matcher(line);
            if (labelled.matches()) {
                categories = Set.of(
                        Arrays.stream(labelled.group(1).split(",")).map(String::strip).toArray(String[]::new));
                if (!Sample.LABELS.values().containsAll(categories)) {
                    throw new IllegalArgumentException(where + "categories must be among " + Sample.LABELS.values());
                }
                line = labelled.group(2);
            }
            Matcher template = TEMPLATE.matcher(line);
            if (!template.matches()) {
                texts.putIfAbsent(line, new Text(line, categories));
                continue;
            }
            for (int n = Integer.parseInt(template.group(1)); n > 0; n--) {
                Matcher slot = SLOT.matcher(template.group(2));
                StringBuilder text = new StringBuilder();
                while (slot.find()) {
                    List<String> values = slots.get(slot.group(1));
                    if (values == null) {
                        throw new IllegalArgumentException(where + "no slot " + slot.group(1));
                    }
                    slot.appendReplacement(text, Matcher.quoteReplacement(values.get(random.nextInt(values.size()))));
                }
                slot.appendTail(text);
                texts.putIfAbsent(text.toString(), new Text(text.toString(), categories));
            }
        }
        return new ArrayList<>(texts.values());
    }
}
