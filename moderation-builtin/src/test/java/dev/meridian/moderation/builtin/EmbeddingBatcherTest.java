package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * How the batcher groups concurrent texts, with a stand-in model that records each batch (the text's first token id
 * is its number) and holds its first call until the test has queued the others.
 */
class EmbeddingBatcherTest {

    /** A model that answers each text with {id, batch size} and blocks its first call until released. */
    static final class Model implements Function<List<long[]>, double[][]> {
        final List<List<Long>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile RuntimeException failure;

        @Override
        public double[][] apply(List<long[]> texts) {
            batches.add(texts.stream().map(t -> t[0]).toList());
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            return texts.stream().map(t -> new double[] {t[0], texts.size()}).toArray(double[][]::new);
        }
    }

    static long[] text(long id, int length) {
        long[] tokens = new long[length];
        tokens[0] = id;
        return tokens;
    }

    /** Submits the first text, waits until the model holds it, then queues the rest behind it in order. */
    static List<Future<double[]>> submit(EmbeddingBatcher batcher, Model model, List<long[]> texts) throws Exception {
        List<Future<double[]>> results = new ArrayList<>();
        results.add(CompletableFuture.supplyAsync(() -> batcher.embed(texts.get(0))));
        assertEquals(true, model.started.await(10, TimeUnit.SECONDS));
        for (long[] t : texts.subList(1, texts.size())) {
            results.add(CompletableFuture.supplyAsync(() -> batcher.embed(t)));
            // one at a time, so the queue holds them in this order
            while (queued(batcher) < results.size() - 1) {
                Thread.onSpinWait();
            }
        }
        return results;
    }

    static int queued(EmbeddingBatcher batcher) {
        return batcher.waiting();
    }

    @Test
    void textsThatWaitTogetherRunTogetherUpToTheBatchSize() throws Exception {
        Model model = new Model();
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(model, 1, 3, 10_000)) {
            List<long[]> texts = List.of(text(0, 5), text(1, 5), text(2, 5), text(3, 5), text(4, 5), text(5, 5));
            List<Future<double[]>> results = submit(batcher, model, texts);
            model.release.countDown();
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(i, results.get(i).get(10, TimeUnit.SECONDS)[0]);
            }
            assertEquals(List.of(List.of(0L), List.of(1L, 2L, 3L), List.of(4L, 5L)), model.batches);
            assertArrayEquals(new double[] {2, 3}, results.get(2).get());
        }
    }

    @Test
    void theTextsOfOneCallerJoinTheQueueTogetherAndComeBackInTheirOrder() throws Exception {
        Model model = new Model();
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(model, 1, 3, 10_000)) {
            List<Future<double[]>> first = submit(batcher, model, List.of(text(0, 5), text(1, 5)));
            // behind text 1: a caller's four texts, of which the batch of three takes two, then the next the other two
            CompletableFuture<double[][]> together = CompletableFuture.supplyAsync(
                    () -> batcher.embedAll(List.of(text(2, 5), text(3, 5), text(4, 5), text(5, 5))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (queued(batcher) < 5 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(5, queued(batcher), "text 1 and the caller's four wait together");
            model.release.countDown();
            double[][] embeddings = together.get(10, TimeUnit.SECONDS);
            assertEquals(4, embeddings.length);
            for (int i = 0; i < 4; i++) {
                assertEquals(2 + i, embeddings[i][0]);
            }
            assertEquals(0, first.get(0).get(10, TimeUnit.SECONDS)[0]);
            assertEquals(1, first.get(1).get(10, TimeUnit.SECONDS)[0]);
            assertEquals(List.of(List.of(0L), List.of(1L, 2L, 3L), List.of(4L, 5L)), model.batches);
            assertEquals(0, batcher.embedAll(List.of()).length);
        }
    }

    @Test
    void aCallersTextsThatFitOneBatchRunAsOneEvenWithIdleWorkers() {
        Model model = new Model();
        model.release.countDown();
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(model, 2, 8, 10_000)) {
            for (int round = 0; round < 20; round++) {
                model.batches.clear();
                double[][] embeddings = batcher.embedAll(List.of(text(0, 3), text(1, 3), text(2, 3), text(3, 3)));
                // no worker took the first text before the others had joined the queue
                assertEquals(List.of(List.of(0L, 1L, 2L, 3L)), model.batches, "round " + round);
                assertArrayEquals(new double[] {3, 4}, embeddings[3]);
            }
        }
    }

    @Test
    void aBatchHoldsNoMorePaddedTokensThanItsLimit() throws Exception {
        Model model = new Model();
        // 42 padded tokens: four texts of 8 tokens (10 with [CLS] and [SEP]) fit, not a fifth of 19 (5 x 21), which then
        // leads the next batch and has room for one more
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(model, 1, 8, 42)) {
            List<long[]> texts = List.of(text(0, 1), text(1, 8), text(2, 8), text(3, 8), text(4, 8), text(5, 19),
                    text(6, 3));
            List<Future<double[]>> results = submit(batcher, model, texts);
            model.release.countDown();
            for (Future<double[]> result : results) {
                result.get(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of(List.of(0L), List.of(1L, 2L, 3L, 4L), List.of(5L, 6L)), model.batches);
        }
    }

    @Test
    void aFailureReachesEveryCallerOfItsBatchAndTheNextBatchRuns() throws Exception {
        Model model = new Model();
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(model, 1, 8, 10_000)) {
            IllegalStateException failure = new IllegalStateException("ONNX Runtime failed");
            model.failure = failure;
            List<Future<double[]>> results = submit(batcher, model, List.of(text(0, 2), text(1, 2), text(2, 2)));
            model.release.countDown();
            for (Future<double[]> result : results) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
                assertSame(failure, e.getCause());
            }
            model.failure = null;
            assertArrayEquals(new double[] {9, 1}, batcher.embed(text(9, 2)));
        }
    }

    @Test
    void closingFailsWhatStillWaitsAndRefusesNewTexts() throws Exception {
        Model model = new Model();
        EmbeddingBatcher batcher = new EmbeddingBatcher(model, 1, 1, 10_000);
        List<Future<double[]>> results = submit(batcher, model, List.of(text(0, 2), text(1, 2)));
        // close() interrupts the worker, which ends the model's wait: that batch completes, the next never starts
        CompletableFuture.runAsync(batcher::close).get(10, TimeUnit.SECONDS);
        assertEquals(0, results.get(0).get(10, TimeUnit.SECONDS)[0], "the batch under way completes");
        ExecutionException e = assertThrows(ExecutionException.class, () -> results.get(1).get(10, TimeUnit.SECONDS));
        assertEquals("The embedding model is closed", e.getCause().getMessage());
        assertThrows(IllegalStateException.class, () -> batcher.embed(text(2, 2)));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingBatcher(new Model(), 0, 8, 100));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingBatcher(new Model(), 1, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingBatcher(new Model(), 1, 8, 0));
    }
}
