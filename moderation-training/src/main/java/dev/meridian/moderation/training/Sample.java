package dev.meridian.moderation.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One labelled line of the moderation evaluation set; a label that is absent is unknown. */
public record Sample(String prompt, Map<String, Boolean> labels) {

    /** The evaluation set's label codes and the category each one stands for. */
    public static final Map<String, String> LABELS = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>() {
        {
            put("S", "sexual");
            put("H", "hate");
            put("V", "violence");
            put("HR", "harassment");
            put("SH", "self-harm");
            put("S3", "sexual/minors");
            put("H2", "hate/threatening");
            put("V2", "violence/graphic");
        }
    });

    public static List<Sample> read(Path jsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Sample> samples = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json.readTree(line);
            Map<String, Boolean> labels = new HashMap<>();
            LABELS.forEach((code, category) -> {
                JsonNode v = node.get(code);
                if (v != null && !v.isNull()) {
                    labels.put(category, v.asInt() == 1);
                }
            });
            samples.add(new Sample(node.get("prompt").asText(), labels));
        }
        return samples;
    }
}
