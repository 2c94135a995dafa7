package io.adsync.schedule;

import com.cronutils.model.time.ExecutionTime;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class CronExpressionsTest {

    private static final ZonedDateTime REF = ZonedDateTime.of(2025, 6, 2, 0, 0, 0, 0, ZoneOffset.UTC); // a Monday

    /** The cache key is the normalised expression: spacing and case do not make a second parse. */
    @Test
    void anExpressionIsParsedOnceWhateverItsSpacingAndCase() {
        ExecutionTime first = CronExpressions.executionTime("0 17 4 ? * mon");
        assertThat(CronExpressions.executionTime("  0  17 4 ?\t* MON ")).isSameAs(first);
        assertThat(first.nextExecution(REF)).contains(REF.withHour(4).withMinute(17));
    }

    /**
     * More distinct expressions than the cache holds (1,024) all still evaluate correctly, whether they are served
     * from the cache or parsed again after it was emptied.
     */
    @Test
    void moreExpressionsThanTheCacheHoldsAllEvaluateCorrectly() {
        for (int i = 0; i < 1100; i++) {
            int second = i % 60;
            int minute = i / 60;
            ExecutionTime t = CronExpressions.executionTime(second + " " + minute + " 7 * * ?");
            assertThat(t).as("expression %d", i).isNotNull();
            assertThat(t.nextExecution(REF)).contains(REF.withHour(7).withMinute(minute).withSecond(second));
        }
    }
}
