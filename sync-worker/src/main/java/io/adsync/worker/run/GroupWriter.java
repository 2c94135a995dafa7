package io.adsync.worker.run;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit, without a thread or a timer of its own: each caller queues its item and takes the write lock;
 * whoever holds it writes everything queued by then (its own item and others') as one batch and hands every
 * caller its own result. A caller alone writes its item at once; under load, the items queued during one
 * write go together in the next. If a batch fails, each of its items is written alone once, so that one
 * item's problem does not fail the others.
 *
 * @param <T> an item to write
 * @param <R> the result for one item
 */
final class GroupWriter<T, R> {

    /** Writes items in one go and returns one result per item, in order. */
    @FunctionalInterface
    interface Write<T, R> {
        List<R> apply(List<T> items) throws SQLException;
    }

    private static final class Pending<T, R> {
        final T item;
        R result;
        Exception error;
        boolean done;

        Pending(T item) {
            this.item = item;
        }
    }

    private final Write<T, R> batch;
    private final Write<T, R> alone;
    private final int maxBatch;
    private final Queue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    /**
     * @param batch    writes a batch (with whatever retries it wants)
     * @param alone    writes a single item of a batch that failed (one attempt is enough: the batch was retried)
     * @param maxBatch the most items written together
     */
    GroupWriter(Write<T, R> batch, Write<T, R> alone, int maxBatch) {
        this.batch = batch;
        this.alone = alone;
        this.maxBatch = maxBatch;
    }

    /** Writes {@code item}, probably together with others, and returns its result once committed. */
    R write(T item) throws SQLException {
        Pending<T, R> mine = new Pending<>(item);
        queue.add(mine);
        writing.lock();
        try {
            while (!mine.done) {
                writeQueued();
            }
        } finally {
            writing.unlock();
        }
        if (mine.error instanceof SQLException e) {
            throw new SQLException(e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
        if (mine.error != null) {
            throw (RuntimeException) mine.error;
        }
        return mine.result;
    }

    private void writeQueued() {
        List<Pending<T, R>> taken = new ArrayList<>();
        for (Pending<T, R> p; taken.size() < maxBatch && (p = queue.poll()) != null; ) {
            taken.add(p);
        }
        try {
            settle(taken, batch.apply(taken.stream().map(p -> p.item).toList()));
        } catch (SQLException | RuntimeException e) {
            if (taken.size() == 1) {
                fail(taken.getFirst(), e);
                return;
            }
            for (Pending<T, R> p : taken) {
                try {
                    settle(List.of(p), alone.apply(List.of(p.item)));
                } catch (SQLException | RuntimeException single) {
                    fail(p, single);
                }
            }
        }
    }

    private void settle(List<Pending<T, R>> taken, List<R> results) {
        for (int i = 0; i < taken.size(); i++) {
            taken.get(i).result = results.get(i);
            taken.get(i).done = true;
        }
    }

    private void fail(Pending<T, R> p, Exception e) {
        p.error = e;
        p.done = true;
    }
}
