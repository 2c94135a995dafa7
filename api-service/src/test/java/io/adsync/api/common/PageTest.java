package io.adsync.api.common;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** When {@link Page#of} may take the total from the page itself instead of counting: only when that is exact. */
class PageTest {

    private final AtomicInteger counts = new AtomicInteger();
    private final LongSupplier count = () -> {
        counts.incrementAndGet();
        return 1234;
    };

    @Test
    void aPartlyFilledPageIsTheLastSoItTellsTheTotal() {
        assertThat(Page.total(7, 0, 20, count)).isEqualTo(7);
        assertThat(Page.total(1, 2, 3, count)).isEqualTo(7);
        assertThat(Page.total(499, 3, 500, count)).isEqualTo(1999);
        assertThat(counts).hasValue(0);
    }

    @Test
    void anEmptyFirstPageMeansNoMatches() {
        assertThat(Page.total(0, 0, 20, count)).isZero();
        assertThat(counts).hasValue(0);
    }

    @Test
    void aFullPageOrAnEmptyPagePastTheFirstCounts() {
        assertThat(Page.total(20, 0, 20, count)).isEqualTo(1234);
        assertThat(Page.total(3, 1, 3, count)).isEqualTo(1234);
        assertThat(Page.total(0, 3, 3, count)).isEqualTo(1234);
        assertThat(counts).hasValue(3);
    }

    @Test
    void largePageNumbersDoNotOverflow() {
        int page = Integer.MAX_VALUE / PageRequest.MAX_SIZE;
        assertThat(Page.total(1, page, PageRequest.MAX_SIZE, count)).isEqualTo((long) page * PageRequest.MAX_SIZE + 1);
    }
}
