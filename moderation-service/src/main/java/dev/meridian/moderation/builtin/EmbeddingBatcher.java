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

    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
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
        if (closed) {
            throw new IllegalStateException("The embedding model is closed");
        }
        Pending pending = new Pending(tokens, new CompletableFuture<>());
        queue.add(pending);
        if (closed && queue.remove(pending)) {
            throw new IllegalStateException("The embedding model is closed");
        }
        try {
            return pending.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** How many texts wait for a worker. */
    int waiting() {
        return queue.size();
    }

    private void work() {
        while (!closed) {
            Pending first;
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

    /** {@code first} and whatever waits behind it that fits in the batch, in order of arrival. */
    private List<Pending> next(Pending first) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        batch.add(first);
        int longest = first.tokens().length;
        while (batch.size() < maxBatch) {
            Pending next = queue.pollFirst();
            if (next == null) {
                break;
            }
            int longer = Math.max(longest, next.tokens().length);
            if ((long) (batch.size() + 1) * (longer + 2) > maxPaddedTokens) {
                // it would make the batch too long: it leads the next one
                queue.offerFirst(next);
                break;
            }
            batch.add(next);
            longest = longer;
        }
        return batch;
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
        for (Pending pending = queue.poll(); pending != null; pending = queue.poll()) {
            pending.result().completeExceptionally(gone);
        }
    }
}
