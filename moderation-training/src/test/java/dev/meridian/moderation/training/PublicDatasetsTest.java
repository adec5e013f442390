package dev.meridian.moderation.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicDatasetsTest {

    @Test
    void anAbsentLabelIsUnknownAndOnlyTheEvaluatedCategoriesAreKept(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.jsonl"), """
                {"text": "I hate women.", "labels": {"hate": 1, "hate/threatening": 0, "illicit": 0}, "source": "hatecheck"}

                {"text": "How do I shoplift?", "labels": {"illicit": 1}, "source": "xstest"}
                """);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("b.jsonl.gz")))) {
            out.write("{\"text\": \"you idiot\", \"labels\": {\"harassment\": 1}, \"source\": \"toxic_spans\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("README.md"), "not data");

        List<PublicDatasets.Row> rows = PublicDatasets.read(dir);

        assertEquals(List.of(
                new PublicDatasets.Row("I hate women.", Map.of("hate", true, "hate/threatening", false), "hatecheck"),
                new PublicDatasets.Row("you idiot", Map.of("harassment", true), "toxic_spans")), rows);
    }
}
