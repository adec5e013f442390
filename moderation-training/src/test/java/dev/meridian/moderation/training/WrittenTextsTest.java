package dev.meridian.moderation.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written training texts: the file's syntax, and the shipped file kept apart from the check texts. */
class WrittenTextsTest {

    @TempDir
    Path dir;

    @Test
    void slotsTemplatesLabelsAndPlainLinesAreRead() throws IOException {
        Path file = Files.writeString(dir.resolve("texts.txt"), """
                # a comment
                @animal: cat, dog
                @colour: red
                [violence, harassment] 2: a {colour} {animal}
                a plain line
                [sexual] a plain line
                """);
        List<WrittenTexts.Text> texts = WrittenTexts.read(file);
        // two seeded draws of "a {colour} {animal}", then the plain line once: its labelled repeat is dropped
        assertEquals(List.of(new WrittenTexts.Text("a red dog", Set.of("violence", "harassment")),
                new WrittenTexts.Text("a red cat", Set.of("violence", "harassment")),
                new WrittenTexts.Text("a plain line", Set.of())), texts);
        assertEquals(texts, WrittenTexts.read(file), "the draws are the same on every run");
    }

    @Test
    void mistakesAreRefusedWithTheirLine() throws IOException {
        Path slot = Files.writeString(dir.resolve("slot.txt"), "1: a {missing}\n");
        assertEquals(slot + ":1: no slot missing",
                assertThrows(IllegalArgumentException.class, () -> WrittenTexts.read(slot)).getMessage());
        Path label = Files.writeString(dir.resolve("label.txt"), "\n[violent] text\n");
        assertEquals(label + ":2: categories must be among " + Sample.LABELS.values(),
                assertThrows(IllegalArgumentException.class, () -> WrittenTexts.read(label)).getMessage());
    }

    @Test
    void aTrainingTextThatIsAlsoACheckTextIsRefused() throws IOException {
        Files.writeString(dir.resolve("check-benign.txt"), "# comment\nA Fox\n");
        Path file = Files.writeString(dir.resolve("texts.txt"), "@x: fox\n1: a {x}\n");
        assertEquals(file + " has \"a fox\", which " + dir.toAbsolutePath().resolve("check-benign.txt")
                + " checks: keep training texts and check texts apart",
                assertThrows(IllegalArgumentException.class, () -> WrittenTexts.read(file)).getMessage());
    }

    @Test
    void theShippedTextsAreApartFromTheChecksAndCoverSevenCategories() throws IOException {
        List<WrittenTexts.Text> texts = WrittenTexts.read(Path.of("data/texts.txt"));
        assertTrue(texts.size() > 400, "texts: " + texts.size());
        Set<String> labelled = new java.util.TreeSet<>();
        texts.forEach(t -> labelled.addAll(t.categories()));
        Set<String> expected = new java.util.TreeSet<>(Sample.LABELS.values());
        expected.remove("sexual/minors");
        assertEquals(expected, labelled, "every labelled category but sexual/minors: no written text is about minors");
        assertEquals(157, WrittenTexts.checks(Path.of("data/check-benign.txt")).size());
        assertEquals(40, WrittenTexts.checks(Path.of("data/check-harmful.txt")).size());
    }
}
