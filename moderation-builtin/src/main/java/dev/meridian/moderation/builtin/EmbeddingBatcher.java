package dev.meridian.moderation.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Function;

/**
 * Runs the texts that concurrent requests want embedded together: a few worker threads each take what is waiting (up
 * to {@code maxBatch} texts, and no more padded tokens than {@code maxPaddedTokens}) and embed it in one call of the
 * model. One call reads the model's weights once whatever the number of rows, and for short texts that reading is
 * most of the cost (on this machine a 6-token text takes about 3 ms alone and 1.4 ms each in a batch of four), so
 * under load the service embeds more texts per second; with nothing else waiting a text runs alone, as it would
 * without the batcher. A text's embedding does not depend on its batch (see {@link StaticQuantization}).
 */
final class EmbeddingBatcher implements AutoCloseable {

    private record Pending(long[] tokens, CompletableFuture<double[]> result) {
    }

    /** Each element is one caller's texts, in their order, so that they join the queue at once. */
    private final LinkedBlockingDeque<List<Pending>> queue = new LinkedBlockingDeque<>();
    private final Function<List<long[]>, double[][]> model;
    private final int maxBatch;
    private final int maxPaddedTokens;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param model embeds a batch of token id sequences (without [CLS] and [SEP]), one embedding per sequence
     * @param workers how many batches run at once (each on its own thread)
     * @param maxBatch the most texts in one batch
     * @param maxPaddedTokens the most tokens in one batch counting padding (texts × the longest text): a long text is
     *        not held up by short ones beyond that
     */
    EmbeddingBatcher(Function<List<long[]>, double[][]> model, int workers, int maxBatch, int maxPaddedTokens) {
        if (workers < 1 || maxBatch < 1 || maxPaddedTokens < 1) {
            throw new IllegalArgumentException("workers, maxBatch and maxPaddedTokens must be positive");
        }
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxPaddedTokens = maxPaddedTokens;
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(this::work, "sentence-embedding-" + i);
            worker.setDaemon(true);
            this.workers.add(worker);
            worker.start();
        }
    }

    /** The embedding of these token ids, computed in whatever batch is next; blocks until it is. */
    double[] embed(long[] tokens) {
        return embedAll(List.of(tokens))[0];
    }

    /**
     * The embeddings of these token id sequences, in order. They join the queue at once, so they run in the same batch
     * as far as its limits take them; blocks until all are done.
     */
    double[][] embedAll(List<long[]> texts) {
        if (closed) {
            throw new IllegalStateException("The embedding model is closed");
        }
        List<Pending> pending = new ArrayList<>(texts.size());
        for (long[] tokens : texts) {
            pending.add(new Pending(tokens, new CompletableFuture<>()));
        }
        if (pending.isEmpty()) {
            return new double[0][];
        }
        queue.add(pending);
        if (closed && queue.remove(pending)) {
            throw new IllegalStateException("The embedding model is closed");
        }
        double[][] embeddings = new double[texts.size()][];
        try {
            for (int i = 0; i < embeddings.length; i++) {
                embeddings[i] = pending.get(i).result().join();
            }
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        return embeddings;
    }

    /** How many texts wait for a worker. */
    int waiting() {
        return queue.stream().mapToInt(List::size).sum();
    }

    private void work() {
        while (!closed) {
            List<Pending> first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            List<Pending> batch = next(first);
            try {
                List<long[]> tokens = batch.stream().map(Pending::tokens).toList();
                double[][] embeddings = model.apply(tokens);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(embeddings[i]);
                }
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.result().completeExceptionally(e));
            }
        }
    }

    /**
     * The texts of {@code first} and of the callers behind it, in order of arrival, as far as they fit in a batch; what
     * does not fit of a caller's texts goes back to the head of the queue and leads the next batch.
     */
    private List<Pending> next(List<Pending> first) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        int longest = 0;
        List<Pending> texts = first;
        while (true) {
            for (int i = 0; i < texts.size(); i++) {
                int longer = Math.max(longest, texts.get(i).tokens().length);
                if (!batch.isEmpty() && (batch.size() == maxBatch
                        || (long) (batch.size() + 1) * (longer + 2) > maxPaddedTokens)) {
                    queue.offerFirst(texts.subList(i, texts.size()));
                    return batch;
                }
                batch.add(texts.get(i));
                longest = longer;
            }
            if (batch.size() == maxBatch) {
                return batch;
            }
            texts = queue.pollFirst();
            if (texts == null) {
                return batch;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        IllegalStateException gone = new IllegalStateException("The embedding model is closed");
        for (List<Pending> texts = queue.poll(); texts != null; texts = queue.poll()) {
            texts.forEach(pending -> pending.result().completeExceptionally(gone));
        }
    }
}
