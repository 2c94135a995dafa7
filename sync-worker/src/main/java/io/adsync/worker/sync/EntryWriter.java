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
 * <p>
 * The upserts run behind the reads ({@link WriteBehind}): a full batch is handed to the writer thread and the
 * search goes on, so reading the directory and writing the database overlap. {@link #finish()} waits for the
 * last batch; a search is complete only after it. {@link #close()} (always) waits for any batch still in flight.
 */
final class UserWriter implements DirectoryConnection.PageSink, AutoCloseable {

    /** Batches handed to the writer and not yet written: one being written, one waiting. */
    static final int MAX_IN_FLIGHT = 2;

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
    private final WriteBehind<AccountSql.BatchCounts> writes;
    private Map<UUID, AdUser> batch = new LinkedHashMap<>();

    UserWriter(DataSource ds, RunContext ctx, Domain domain, int batchSize, Instant now, SyncCounters n,
               SyncCounters.RunTotals totals) {
        this.ds = ds;
        this.ctx = ctx;
        this.domain = domain;
        this.batchSize = batchSize;
        this.now = now;
        this.n = n;
        this.totals = totals;
        this.writes = new WriteBehind<>("sync-writer-" + domain.name, MAX_IN_FLIGHT, n::add);
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

    /** Writes the last batch and waits for every batch handed over; rethrows a write's failure. */
    void finish() throws SQLException {
        flush();
        writes.drain();
    }

    @Override
    public void close() {
        writes.close();
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
        Map<UUID, AdUser> full = batch;
        batch = new LinkedHashMap<>();
        writes.submit(() -> ctx.write(ds, c -> AccountSql.upsert(c, domain.id, full.values()),
                b -> new RunStats(b.created(), b.updated(), b.deactivated(), b.reactivated(), b.unchanged(), 0)));
    }
}
