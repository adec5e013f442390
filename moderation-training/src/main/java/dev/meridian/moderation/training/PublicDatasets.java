package dev.meridian.moderation.training;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The labelled public datasets staged in {@code ../shared/moderation-data} (see its README for each source's licence,
 * mapping and noise): one JSON object per line, {@code {"text": …, "labels": {"hate": 1, …}, "source": …}}, in
 * {@code .jsonl} or {@code .jsonl.gz} files. A category absent from a row's labels is unknown, not negative; only the
 * eight categories of the evaluation set ({@link Sample#LABELS}) are kept, and a row that informs none of them is
 * skipped.
 */
public final class PublicDatasets {

    /** One labelled row: its text, the categories its source informs (true = applies) and the source's name. */
    public record Row(String text, Map<String, Boolean> labels, String source) {
    }

    private PublicDatasets() {
    }

    /** Every row of every {@code .jsonl} and {@code .jsonl.gz} file of {@code directory}, files in name order. */
    public static List<Row> read(Path directory) throws IOException {
        List<Row> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().matches(".*\\.jsonl(\\.gz)?")).sorted().toList();
        }
        for (Path file : files) {
            InputStream in = Files.newInputStream(file);
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in);
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node = json.readTree(line);
                    Map<String, Boolean> labels = new LinkedHashMap<>();
                    for (String category : Sample.LABELS.values()) {
                        JsonNode value = node.path("labels").get(category);
                        if (value != null && !value.isNull()) {
                            labels.put(category, value.asInt() == 1);
                        }
                    }
                    if (!labels.isEmpty()) {
                        rows.add(new Row(node.get("text").asText(), Collections.unmodifiableMap(labels),
                                node.get("source").asText()));
                    }
                }
            }
        }
        return rows;
    }
}
