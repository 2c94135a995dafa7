package io.adsync.worker.sync;

import io.adsync.directory.DirectoryConnection;
import io.adsync.domain.Domain;
import io.adsync.run.RunStats;
import io.adsync.worker.run.RunContext;
import org.apache.directory.api.ldap.model.entry.Entry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one write path of a sync, for users and groups alike: receives the entries of a search, maps each
 * ({@link AdUser}, {@link AdGroupEntry}), upserts them in batches of at most {@code batchSize}, each in its own
 * fenced transaction through {@link RunContext#write} (so it counts in the run's committed stats; a batch never
 * spans pages), and remembers every objectGUID seen. An entry that cannot be stored is counted as an error, and if
 * its objectGUID could be read, it counts as seen (a known object, unreadable now, is not deactivated).
 * <p>
 * Users are written behind the reads ({@link WriteBehind}): a full batch is handed to the writer thread and the
 * search goes on, so reading the directory and writing the database overlap. Groups are written before the search
 * goes on. {@link #finish()} waits for the last batch; a search is complete only after it. {@link #close()}
 * (always) waits for any batch still in flight.
 */
final class EntryWriter<T extends EntryWriter.Keyed> implements DirectoryConnection.PageSink, AutoCloseable {

    /** Batches handed to the writer and not yet written: one being written, one waiting. */
    static final int MAX_IN_FLIGHT = 2;

    static final int MAX_INVALID_SAMPLES = 10;

    /** A directory object as stored, keyed by objectGUID. */
    interface Keyed {
        UUID objectGuid();
    }

    interface Mapper<T> {
        T map(Entry e) throws AdUser.InvalidEntry;
    }

    /** Finishes an item whose entry did not carry everything (read once the page it came in has ended). */
    interface Completer<T> {
        boolean needed(T item);

        T complete(T item) throws Exception;
    }

    interface Upsert<T> {
        RunStats apply(Connection c, UUID domainId, Collection<T> batch) throws SQLException;
    }

    private final DataSource ds;
    private final RunContext ctx;
    private final Domain domain;
    private final int batchSize;
    /** The domain's counters (entries, pages) and, if not the same, those of what is written (entries too). */
    private final SyncCounters n;
    private final SyncCounters counted;
    private final SyncCounters.RunTotals totals;
    private final Mapper<T> mapper;
    private final Upsert<T> upsert;
    private final WriteBehind<RunStats> writes;
    private final Completer<T> completer;
    private final List<T> pending = new ArrayList<>();
    private final GuidSet seen = new GuidSet();
    private final List<String> invalid = new ArrayList<>();
    private Map<UUID, T> batch = new LinkedHashMap<>();

    private EntryWriter(DataSource ds, RunContext ctx, Domain domain, int batchSize, SyncCounters n, SyncCounters counted,
                        SyncCounters.RunTotals totals, Mapper<T> mapper, Upsert<T> upsert, Completer<T> completer,
                        boolean behind) {
        this.completer = completer;
        this.ds = ds;
        this.ctx = ctx;
        this.domain = domain;
        this.batchSize = batchSize;
        this.n = n;
        this.counted = counted;
        this.totals = totals;
        this.mapper = mapper;
        this.upsert = upsert;
        this.writes = behind ? new WriteBehind<>("sync-writer-" + domain.name, MAX_IN_FLIGHT, counted::add) : null;
    }

    static EntryWriter<AdUser> users(DataSource ds, RunContext ctx, Domain domain, int batchSize, Instant now,
                                     MappedAttributes mapped, SyncCounters n, SyncCounters.RunTotals totals) {
        return new EntryWriter<>(ds, ctx, domain, batchSize, n, n, totals, e -> AdUser.from(e, now, mapped), AccountSql::upsert,
                new Completer<>() {
                    @Override
                    public boolean needed(AdUser u) {
                        return !u.incomplete().isEmpty();
                    }

                    @Override
                    public AdUser complete(AdUser u) throws Exception {
                        return u.complete(mapped);
                    }
                }, true);
    }

    static EntryWriter<AdGroupEntry> groups(DataSource ds, RunContext ctx, Domain domain, int batchSize, SyncCounters n,
                                            SyncCounters g, SyncCounters.RunTotals totals) {
        return new EntryWriter<>(ds, ctx, domain, batchSize, n, g, totals, AdGroupEntry::from, GroupSql::upsert,
                null, false);
    }

    @Override
    public void entry(Entry e) throws SQLException {
        n.entries++;
        if (counted != n) {
            counted.entries++;
        }
        try {
            T item = mapper.map(e);
            UUID id = item.objectGuid();
            seen.add(id);
            if (completer != null && completer.needed(item)) {
                pending.add(item); // read the rest once this page has ended (the connection is busy with it now)
                return;
            }
            batch.put(id, item); // the same GUID twice in a batch: keep the last
            if (batch.size() >= batchSize) {
                flush();
            }
        } catch (AdUser.InvalidEntry bad) {
            counted.errors++;
            if (bad.objectGuid() != null) {
                seen.add(bad.objectGuid());
            }
            if (invalid.size() < MAX_INVALID_SAMPLES) {
                invalid.add(bad.getMessage());
            }
        }
    }

    @Override
    public void pageDone(int page, int entriesInPage) throws Exception {
        completePending();
        flush();
        n.pageDone(ctx, totals, domain.name, entriesInPage);
    }

    /** Writes the last batch and waits for every batch handed over; rethrows a write's failure. */
    void finish() throws Exception {
        completePending();
        flush();
        if (writes != null) {
            writes.drain();
        }
    }

    @Override
    public void close() {
        if (writes != null) {
            writes.close();
        }
    }

    /** The objectGUIDs of every entry seen so far. */
    GuidSet seen() {
        return seen;
    }

    /** A few examples of entries that could not be stored. */
    List<String> invalid() {
        return invalid;
    }

    private void completePending() throws Exception {
        for (T item : pending) {
            batch.put(item.objectGuid(), completer.complete(item));
        }
        pending.clear();
    }

    private void flush() throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        Map<UUID, T> full = batch;
        batch = new LinkedHashMap<>();
        if (writes == null) {
            counted.add(ctx.write(c -> upsert.apply(c, domain.id, full.values()), s -> s));
        } else {
            writes.submit(() -> ctx.write(c -> upsert.apply(c, domain.id, full.values()), s -> s));
        }
    }
}
