package io.adsync.worker.run;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group commit without a database: who writes what, in which batches, and what a failure does. */
class GroupWriterTest {

    final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aLoneCallerWritesItsOwnItemAtOnce() throws Exception {
        GroupWriter<Integer, String> w = new GroupWriter<>(this::record, this::record, 10);
        assertThat(w.write(7)).isEqualTo("ok 7");
        assertThat(batches).containsExactly(List.of(7));
    }

    @Test
    void itemsQueuedDuringAWriteGoTogetherInTheNextAndEachCallerGetsItsOwnResult() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch othersQueued = new CountDownLatch(1);
        GroupWriter<Integer, String> w = new GroupWriter<>(items -> {
            if (items.contains(0)) {
                firstWriteStarted.countDown();
                await(othersQueued);
            }
            return record(items);
        }, this::record, 3);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<String> first = pool.submit(() -> w.write(0));
            assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> others = new ArrayList<>();
            for (int i = 1; i <= 7; i++) {
                int item = i;
                others.add(pool.submit(() -> w.write(item)));
            }
            Thread.sleep(200); // all seven are queued behind the first write
            othersQueued.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("ok 0");
            for (int i = 1; i <= 7; i++) {
                assertThat(others.get(i - 1).get(5, TimeUnit.SECONDS)).isEqualTo("ok " + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(batches.getFirst()).containsExactly(0);
        assertThat(batches.subList(1, batches.size())).as("seven items in batches of at most three").hasSize(3)
                .allSatisfy(b -> assertThat(b).hasSizeBetween(1, 3));
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(8);
    }

    @Test
    void aFailedBatchIsWrittenItemByItemSoOnlyTheBadItemFails() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch othersQueued = new CountDownLatch(1);
        GroupWriter<Integer, String> w = new GroupWriter<>(items -> {
            if (items.contains(0)) {
                firstWriteStarted.countDown();
                await(othersQueued);
            }
            if (items.contains(13)) {
                throw new SQLException("batch failed", "22021");
            }
            return record(items);
        }, items -> {
            if (items.contains(13)) {
                throw new SQLException("bad item", "22021");
            }
            return items.stream().map(i -> "alone " + i).toList();
        }, 10);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<String> first = pool.submit(() -> w.write(0));
            assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
            Future<String> twelve = pool.submit(() -> w.write(12));
            Future<String> thirteen = pool.submit(() -> w.write(13));
            Future<String> fourteen = pool.submit(() -> w.write(14));
            Thread.sleep(200); // 12, 13 and 14 queue behind the first write, and go as one batch
            othersQueued.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("ok 0");
            assertThat(twelve.get(5, TimeUnit.SECONDS)).isEqualTo("alone 12");
            assertThat(fourteen.get(5, TimeUnit.SECONDS)).isEqualTo("alone 14");
            assertThatThrownBy(() -> thirteen.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class)
                    .cause().hasMessage("bad item");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSingleItemsFailureIsItsCallersException() {
        GroupWriter<Integer, String> w = new GroupWriter<>(items -> {
            throw new SQLException("database away", "08006");
        }, this::record, 10);
        assertThatThrownBy(() -> w.write(1)).isInstanceOf(SQLException.class).hasMessage("database away")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
        assertThat(batches).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> record(List<Integer> items) {
        batches.add(List.copyOf(items));
        return items.stream().map(i -> "ok " + i).toList();
    }
}
