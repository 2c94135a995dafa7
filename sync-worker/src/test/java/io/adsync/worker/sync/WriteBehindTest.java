package io.adsync.worker.sync;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteBehindTest {

    @Test
    void writesRunInOrderAndTheirResultsComeBackOnTheCallersThread() throws Exception {
        List<Integer> written = Collections.synchronizedList(new ArrayList<>());
        List<String> collectedOn = new ArrayList<>();
        List<Integer> collected = new ArrayList<>();
        try (WriteBehind<Integer> w = new WriteBehind<>("t-writer", 2, r -> {
            collected.add(r);
            collectedOn.add(Thread.currentThread().getName());
        })) {
            for (int i = 0; i < 50; i++) {
                int n = i;
                w.submit(() -> {
                    written.add(n);
                    return n;
                });
            }
            w.drain();
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertThat(written).isEqualTo(expected);
        assertThat(collected).isEqualTo(expected);
        assertThat(collectedOn).containsOnly(Thread.currentThread().getName());
    }

    @Test
    void aFailedWriteIsRethrownAsIsByTheNextSubmitOrDrain() throws Exception {
        try (WriteBehind<Integer> w = new WriteBehind<>("t-writer", 2, r -> { })) {
            w.submit(() -> {
                throw new SQLException("connection reset");
            });
            // the next submit rethrows it if the write has already failed, else drain does
            assertThatThrownBy(() -> {
                w.submit(() -> 1);
                w.drain();
            }).isInstanceOf(SQLException.class).hasMessage("connection reset");
        }
        try (WriteBehind<Integer> w = new WriteBehind<>("t-writer", 1, r -> { })) {
            w.submit(() -> {
                throw new IllegalStateException("lease lost");
            });
            // with one batch in flight at most, the next hand-over must first collect the failed one
            assertThatThrownBy(() -> w.submit(() -> 2)).isInstanceOf(IllegalStateException.class).hasMessage("lease lost");
        }
    }

    @Test
    void theReaderWaitsOnceMaxInFlightWritesArePending() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger submitted = new AtomicInteger();
        AtomicBoolean thirdReturned = new AtomicBoolean();
        try (WriteBehind<Integer> w = new WriteBehind<>("t-writer", 2, r -> { })) {
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 3; i++) {
                        w.submit(() -> {
                            release.await();
                            return 0;
                        });
                        submitted.incrementAndGet();
                    }
                    thirdReturned.set(true);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            reader.join(300);
            assertThat(submitted.get()).as("two hand-overs return at once, the third waits").isEqualTo(2);
            assertThat(thirdReturned).isFalse();
            release.countDown();
            reader.join(5000);
            assertThat(thirdReturned).isTrue();
            w.drain();
        }
    }

    @Test
    void closeWaitsForTheWritesInFlightAndStillCountsThem() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        List<Integer> collected = new ArrayList<>();
        WriteBehind<Integer> w = new WriteBehind<>("t-writer", 2, collected::add);
        w.submit(() -> {
            started.countDown();
            Thread.sleep(200);
            finished.set(true);
            return 7;
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        w.close();
        assertThat(finished).as("close returned only after the write ended").isTrue();
        assertThat(collected).containsExactly(7);
    }
}
