package io.adsync.worker.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * What a domain sync left out without failing (a value over the binary cap, a value that is not of its mapping's
 * type): the first {@link #MAX_SAMPLES} messages and how many there were. Shown in the run's
 * {@code details.domains[].warnings} / {@code warningsTotal}. Used on the reader's thread only.
 */
final class SyncWarnings {

    static final int MAX_SAMPLES = 20;

    private final List<String> samples = new ArrayList<>();
    private long total;

    void add(String message) {
        total++;
        if (samples.size() < MAX_SAMPLES) {
            samples.add(message);
        }
    }

    List<String> samples() {
        return List.copyOf(samples);
    }

    long total() {
        return total;
    }
}
