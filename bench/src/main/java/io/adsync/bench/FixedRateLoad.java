package io.adsync.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * An open-loop, fixed-rate HTTP load generator (the JDK's {@link HttpClient}, HTTP/1.1 keep-alive).
 *
 * <p>Request {@code i} of a run is <em>intended</em> to be sent at {@code start + i / rate}, whatever happened to
 * the requests before it: one scheduler thread sends each request at its time (or at once, if it is already late)
 * and never waits for answers. Each request's latency is measured from its intended send time to the end of its
 * response body, so a stall of the server (or of this generator) shows as the latency of every request that
 * should have gone out during it; nothing is coordinated away.
 *
 * <p>At most {@code maxInFlight} requests are outstanding. A request whose time has come while that many are still
 * waiting for answers is not sent: it is counted as <em>dropped</em>, and a dropped request is an error of the run,
 * never silently skipped. Answers other than 2xx, I/O failures and requests that exceed {@code timeout} are
 * errors too. The achieved rate is, as wrk counts it, the number of 2xx answers that arrived within the run's
 * duration divided by that duration: a server that keeps up achieves the target rate less the few requests still
 * on their way at the end; one that falls behind achieves less, even when every answer is eventually 2xx.
 */
public final class FixedRateLoad implements AutoCloseable {

    /** What one run at a fixed rate did. Latencies in milliseconds, from each request's intended send time. */
    public record Result(double targetRate, double seconds, long scheduled, long sent, long ok, long errors, long dropped,
                         double achievedRate, double p50, double p90, double p99, double max,
                         double maxSendLagMs, Map<String, Long> errorKinds) {

        /** Every scheduled request was sent and answered 2xx, and the answers kept up with {@code fraction} of the rate. */
        public boolean clean(double fraction) {
            return errors == 0 && dropped == 0 && ok == scheduled && achievedRate >= fraction * targetRate;
        }

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("targetRate", targetRate);
            m.put("seconds", seconds);
            m.put("scheduled", scheduled);
            m.put("sent", sent);
            m.put("ok", ok);
            m.put("errors", errors);
            m.put("dropped", dropped);
            m.put("achievedRate", round(achievedRate));
            m.put("p50Ms", round(p50));
            m.put("p90Ms", round(p90));
            m.put("p99Ms", round(p99));
            m.put("maxMs", round(max));
            m.put("maxSendLagMs", round(maxSendLagMs));
            if (!errorKinds.isEmpty()) {
                m.put("errorKinds", errorKinds);
            }
            return m;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%.0f req/s x %.0f s: sent %d/%d, ok %d, errors %d, dropped %d, achieved %.1f req/s, p50 %.2f p90 %.2f p99 %.2f max %.2f ms (max send lag %.2f ms)%s",
                    targetRate, seconds, sent, scheduled, ok, errors, dropped, achievedRate, p50, p90, p99, max, maxSendLagMs,
                    errorKinds.isEmpty() ? "" : " " + errorKinds);
        }

        private static double round(double v) {
            return Math.round(v * 1000.0) / 1000.0;
        }
    }

    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final ExecutorService callbacks;
    private final HttpClient http;
    private final int maxInFlight;
    private final Duration timeout;

    /**
     * @param maxInFlight the most outstanding requests (and so at most this many connections)
     * @param timeout     a request not answered within this is an error
     */
    public FixedRateLoad(int maxInFlight, Duration timeout) {
        this.maxInFlight = maxInFlight;
        this.timeout = timeout;
        this.callbacks = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fixed-rate-load-callback");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .executor(callbacks).build();
    }

    /**
     * Sends {@code requests.apply(i)} for i = 0, 1, ... at {@code rate} per second for {@code duration}, waits for
     * the answers (at most {@code timeout} longer) and returns the counts and the latency distribution.
     */
    public Result run(double rate, Duration duration, LongFunction<HttpRequest> requests) throws InterruptedException {
        if (rate <= 0 || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("rate and duration must be positive");
        }
        long scheduled = (long) Math.floor(rate * duration.toNanos() / 1e9);
        Recorder latencies = new Recorder(3);
        Semaphore slots = new Semaphore(maxInFlight);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong okInTime = new AtomicLong();
        Map<String, AtomicLong> kinds = new java.util.concurrent.ConcurrentHashMap<>();
        long sent = 0;
        long dropped = 0;
        long maxLag = 0;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        long windowEnd = start + duration.toNanos();
        for (long i = 0; i < scheduled; i++) {
            long intended = start + (long) (i * 1e9 / rate);
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            maxLag = Math.max(maxLag, now - intended);
            if (!slots.tryAcquire()) {
                dropped++;
                kinds.computeIfAbsent("dropped (" + maxInFlight + " in flight)", k -> new AtomicLong()).incrementAndGet();
                continue;
            }
            HttpRequest req = requests.apply(i);
            sent++;
            try {
                http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
                    long end = System.nanoTime();
                    latencies.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (end - intended) / 1000)));
                    if (err == null && res.statusCode() / 100 == 2) {
                        ok.incrementAndGet();
                        if (end <= windowEnd) {
                            okInTime.incrementAndGet();
                        }
                    } else {
                        failed.incrementAndGet();
                        String kind = err != null ? kind(err) : "HTTP " + res.statusCode();
                        kinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                    }
                    slots.release();
                });
            } catch (RuntimeException e) {
                slots.release();
                failed.incrementAndGet();
                kinds.computeIfAbsent(kind(e), k -> new AtomicLong()).incrementAndGet();
            }
        }
        // drain: every sent request either answers or times out within the request timeout
        if (!slots.tryAcquire(maxInFlight, timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("requests still outstanding " + timeout.plusSeconds(5) + " after the last was sent");
        }
        slots.release(maxInFlight);
        Histogram h = latencies.getIntervalHistogram();
        double seconds = duration.toNanos() / 1e9;
        Map<String, Long> errorKinds = new LinkedHashMap<>();
        kinds.forEach((k, v) -> errorKinds.put(k, v.get()));
        return new Result(rate, seconds, scheduled, sent, ok.get(), failed.get(), dropped, okInTime.get() / seconds,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()),
                maxLag / 1e6, errorKinds);
    }

    /**
     * Closed-loop warm-up before any fixed-rate run: {@code concurrency} senders each send a request, wait for its
     * answer and send the next, for {@code duration}. A cold server (JIT, pools, connections) is warmed without the
     * pile-up an open-loop start would cause. Returns how many answers were 2xx and how many were not.
     */
    public long[] warmUp(Duration duration, int concurrency, LongFunction<HttpRequest> requests) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicLong ok = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        HttpResponse<Void> res = http.send(requests.apply(seq.getAndIncrement()), HttpResponse.BodyHandlers.discarding());
                        (res.statusCode() / 100 == 2 ? ok : bad).incrementAndGet();
                    } catch (IOException e) {
                        bad.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return new long[] {ok.get(), bad.get()};
    }

    /** A GET of {@code uri} with this load's request timeout and the given header name/value pairs. */
    public HttpRequest get(java.net.URI uri, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    private static String kind(Throwable err) {
        Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        if (t instanceof HttpTimeoutException) {
            return "timeout";
        }
        return t instanceof IOException ? "I/O: " + t.getClass().getSimpleName() : t.getClass().getSimpleName();
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    @Override
    public void close() {
        http.shutdownNow();
        callbacks.shutdownNow();
    }
}
