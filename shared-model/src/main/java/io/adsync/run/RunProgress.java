package io.adsync.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Live progress of a run, written with every lease heartbeat.
 *
 * @param entriesRead directory entries read so far
 * @param pages       result pages read so far
 * @param domain      the domain being read now, if any
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunProgress(long entriesRead, long pages, String domain) {
    public static final RunProgress EMPTY = new RunProgress(0, 0, null);
}
