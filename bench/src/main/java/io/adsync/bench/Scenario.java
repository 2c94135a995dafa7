package io.adsync.bench;

import java.util.List;
import java.util.Set;

/** One or more numbered benchmark scenarios that share their setup: runs the repetitions, returns table rows. */
public interface Scenario {

    /** Whether this class measures any of the wanted scenario numbers (1 to 7, as in the issue). */
    boolean covers(Set<Integer> wanted);

    /** Runs the wanted scenarios this class measures and returns their rows. */
    List<Row> run(BenchContext ctx, Set<Integer> wanted) throws Exception;
}
