package io.adsync.worker.sync;

import java.time.Instant;
import java.util.UUID;

/**
 * Where the last successful sync of a domain left off on one domain controller (a {@code domain_watermark} row).
 *
 * @param dcHost          the entry of the domain's hosts that answered, lower case
 * @param highestUsn      the DC's highestCommittedUSN read before that sync's searches started
 * @param lastFullSyncAt  the last successful full sync against this DC (null: none yet)
 */
public record Watermark(UUID domainId, String dcHost, UUID invocationId, long highestUsn, String serverName,
                        Instant lastFullSyncAt, Instant updatedAt) {
}
