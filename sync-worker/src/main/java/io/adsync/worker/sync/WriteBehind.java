package io.adsync.worker.sync;

import org.jboss.logging.MDC;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a sync's database writes on one writer thread, behind the directory reads: the reader hands over a batch
 * and goes on to the next page at once, so the DC is reading page N+1 while page N is being upserted. One thread
 * keeps the batches in order; at most {@code maxInFlight} batches are handed over and not yet written (the
 * reader waits beyond that, which bounds memory). A write's result is handed back on the reader's thread by
 * {@link #submit} or {@link #drain} (so the reader's counters need no locking), and its failure (a database
 * error, a lost lease, a cancellation) is rethrown there as is.
 */
final class WriteBehind<T> implements AutoCloseable {

    private final ExecutorService writer;
    private final int maxInFlight;
    private final Consumer<T> onWritten;
    private final Deque<Future<T>> inFlight = new ArrayDeque<>();

    WriteBehind(String name, int maxInFlight, Consumer<T> onWritten) {
        this.writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(name).daemon().factory());
        this.maxInFlight = maxInFlight;
        this.onWritten = onWritten;
    }

    /** Hands a write over; first collects finished writes, and waits while {@code maxInFlight} are pending. */
    void submit(Callable<T> write) throws SQLException {
        while (!inFlight.isEmpty() && (inFlight.size() >= maxInFlight || inFlight.peekFirst().isDone())) {
            collect(inFlight.removeFirst());
        }
        Map<String, Object> mdc = MDC.getMap();
        inFlight.addLast(writer.submit(() -> {
            mdc.forEach(MDC::put);
            try {
                return write.call();
            } finally {
                MDC.clear();
            }
        }));
    }

    /** Waits for every write handed over so far; rethrows the first failure. */
    void drain() throws SQLException {
        while (!inFlight.isEmpty()) {
            collect(inFlight.removeFirst());
        }
    }

    /**
     * Waits for the writes still pending (their results still count; failures are dropped, as the sync is
     * already ending with another error), then stops the writer thread. Nothing of this sync is written after.
     */
    @Override
    public void close() {
        while (!inFlight.isEmpty()) {
            try {
                collect(inFlight.removeFirst());
            } catch (SQLException | RuntimeException ignored) {
                // the sync ends with the error that brought it here
            }
        }
        writer.shutdown();
        try {
            writer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void collect(Future<T> f) throws SQLException {
        T result;
        try {
            result = getUninterruptibly(f);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException rt) {
                throw rt;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
        onWritten.accept(result);
    }

    /** A write in flight is always waited for, even when the run's thread is interrupted (cancel, shutdown). */
    private static <T> T getUninterruptibly(Future<T> f) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
