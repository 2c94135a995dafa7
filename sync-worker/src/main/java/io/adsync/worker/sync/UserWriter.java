package io.adsync.worker.sync;

import io.adsync.run.RunStats;
import io.adsync.directory.DirectoryConnection;
import io.adsync.domain.Domain;
import io.adsync.worker.run.RunContext;
import org.apache.directory.api.ldap.model.entry.Entry;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Receives the user entries of a search (full or incremental): maps each ({@link AdUser}), upserts them in batches
 * of at most {@code batchSize}, each in its own fenced transaction (a batch never spans pages), and remembers
 * every objectGUID seen. An entry that cannot be stored is counted as an error, and if its objectGUID could be
 * read, it counts as seen (a known account, unreadable now, is not deactivated).
 */
final class UserWriter implements DirectoryConnection.PageSink {

    static final int MAX_INVALID_SAMPLES = 10;

    private final DataSource ds;
    private final RunContext ctx;
    private final Domain domain;
    private final int batchSize;
    private final Instant now;
    private final SyncCounters n;
    private final SyncCounters.RunTotals totals;
    private final GuidSet seen = new GuidSet();
    private final List<String> invalid = new ArrayList<>();
    private final Map<UUID, AdUser> batch = new LinkedHashMap<>();

    UserWriter(DataSource ds, RunContext ctx, Domain domain, int batchSize, Instant now, SyncCounters n,
               SyncCounters.RunTotals totals) {
        this.ds = ds;
        this.ctx = ctx;
        this.domain = domain;
        this.batchSize = batchSize;
        this.now = now;
        this.n = n;
        this.totals = totals;
    }

    @Override
    public void entry(Entry e) throws SQLException {
        n.entries++;
        try {
            AdUser u = AdUser.from(e, now);
            seen.add(u.objectGuid());
            batch.put(u.objectGuid(), u); // the same GUID twice in a batch: keep the last
            if (batch.size() >= batchSize) {
                flush();
            }
        } catch (AdUser.InvalidEntry bad) {
            n.errors++;
            if (bad.objectGuid() != null) {
                seen.add(bad.objectGuid());
            }
            if (invalid.size() < MAX_INVALID_SAMPLES) {
                invalid.add(bad.getMessage());
            }
        }
    }

    @Override
    public void pageDone(int page, int entriesInPage) throws SQLException {
        flush();
        n.pageDone(ctx, totals, domain.name, entriesInPage);
    }

    /** The objectGUIDs of every entry seen so far. */
    GuidSet seen() {
        return seen;
    }

    /** A few examples of entries that could not be stored. */
    List<String> invalid() {
        return invalid;
    }

    private void flush() throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        AccountSql.BatchCounts counts = ctx.write(ds, c -> AccountSql.upsert(c, domain.id, batch.values()),
                b -> new RunStats(b.created(), b.updated(), b.deactivated(), b.reactivated(), b.unchanged(), 0));
        n.add(counts);
        batch.clear();
    }
}
