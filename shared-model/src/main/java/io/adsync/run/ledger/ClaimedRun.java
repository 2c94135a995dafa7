package io.adsync.run.ledger;

import io.adsync.run.RunOptions;
import io.adsync.run.RunTrigger;
import io.adsync.schedule.Schedule;

import java.time.Instant;
import java.util.UUID;

/**
 * A run this worker holds the lease of, with the job it belongs to as it was at claim time.
 * {@code (runId, leaseOwner, attempt)} is the fencing token every write checks.
 */
public record ClaimedRun(UUID runId, UUID jobId, int attempt, RunTrigger trigger, Instant scheduledFor,
                         UUID leaseOwner, RunOptions options, String jobName, UUID domainId, boolean syncAllDomains,
                         boolean requeueOnFailure, Schedule schedule, int maxDeactivations, int maxDeactivationPercent) {
}
