package io.adsync.worker.sync;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class GuidSetTest {

    @Test
    void behavesLikeASetOfUuids() {
        Random r = new Random(42);
        GuidSet set = new GuidSet(4);
        Set<UUID> reference = new HashSet<>();
        List<UUID> added = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            UUID u = new UUID(r.nextLong(), r.nextLong());
            set.add(u);
            reference.add(u);
            added.add(u);
            if (i % 7 == 0) {
                set.add(added.get(r.nextInt(added.size()))); // duplicates, as a moved entry can be returned twice
            }
        }
        assertThat(set.size()).isEqualTo(reference.size());
        for (UUID u : added) {
            assertThat(set.contains(u)).isTrue();
        }
        for (int i = 0; i < 50_000; i++) {
            UUID u = new UUID(r.nextLong(), r.nextLong());
            assertThat(set.contains(u)).isEqualTo(reference.contains(u));
        }
        for (int i = 1; i < set.size(); i++) {
            assertThat(set.get(i - 1).compareTo(set.get(i)) != 0).isTrue();
        }
    }

    @Test
    void sortsAdversarialInputsAndKeepsAddingAfterALookup() {
        GuidSet set = new GuidSet();
        for (long i = 10_000; i > 0; i--) {
            set.add(new UUID(i % 3, i)); // descending, few distinct high halves, negative-free
            set.add(new UUID(-i, -i));
        }
        assertThat(set.size()).isEqualTo(20_000);
        assertThat(set.contains(new UUID(1, 1))).isTrue();
        assertThat(set.contains(new UUID(0, 1))).isFalse();
        set.add(new UUID(0, 1));
        assertThat(set.contains(new UUID(0, 1))).isTrue();
        assertThat(set.size()).isEqualTo(20_001);
    }

    @Test
    void costsSixteenBytesPerGuidPlusGrowthSlack() {
        GuidSet set = new GuidSet();
        Random r = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            set.add(new UUID(r.nextLong(), r.nextLong()));
        }
        assertThat(set.memoryBytes()).isBetween(1_600_000L, 2_400_000L + 64);
    }

    @Test
    void aSliceIsARangeInSortedOrder() {
        GuidSet set = new GuidSet(4);
        List<UUID> added = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            UUID u = UUID.randomUUID();
            set.add(u);
            added.add(u);
        }
        List<UUID> sorted = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            sorted.add(set.get(i));
        }
        assertThat(sorted).containsExactlyInAnyOrderElementsOf(added);
        assertThat(set.slice(3, 7)).containsExactlyElementsOf(sorted.subList(3, 7));
        assertThat(set.slice(5, 5)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> set.slice(8, 11))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void empty() {
        GuidSet set = new GuidSet(0);
        assertThat(set.size()).isZero();
        assertThat(set.contains(UUID.randomUUID())).isFalse();
    }
}
