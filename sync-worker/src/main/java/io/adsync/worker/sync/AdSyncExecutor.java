package io.adsync.worker.sync;

import io.adsync.crypto.SecretCipher;
import io.adsync.directory.DirectoryConnector;
import io.adsync.domain.Domain;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunStats;
import io.adsync.run.SyncMode;
import io.adsync.worker.db.Tx;
import io.adsync.worker.run.RunContext;
import io.adsync.worker.run.RunResult;
import io.adsync.worker.run.SyncExecutor;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Active Directory sync engine: the {@link SyncExecutor} the worker runs claimed runs with.
 * <p>
 * A run syncs each of {@link RunContext#domainIds()} in turn (one for a single-domain job, every domain for
 * "sync all domains"), each fully or incrementally ({@link DomainSync}, {@link SyncPlan}). A failing domain does not stop the
 * others; the run fails if any domain failed, and {@code details.domains[]} says how each one ended
 * ({@link DomainReport}). Stats are the sum over the domains. A cancellation stops the run after the domain
 * being synced (the rest are SKIPPED); a lost lease stops it at once (it is thrown, nothing more is written).
 * <p>
 * The failed run's category: CANCELLED if it was cancelled; otherwise the first failed domain's category,
 * preferring one that is worth a retry over DELETION_THRESHOLD (which the retry policy never retries), so that
 * one unreachable domain still gets its retry when another domain tripped its deletion guard.
 */
@ApplicationScoped
public class AdSyncExecutor implements SyncExecutor {

    private static final Logger LOG = Logger.getLogger(AdSyncExecutor.class);

    private final DataSource ds;
    private final SecretCipher cipher;
    private final DomainSync domainSync;

    @Inject
    public AdSyncExecutor(AgroalDataSource ds, SecretCipher cipher, SyncConfig config) {
        this(ds, cipher, new DirectoryConnector(), config.batchSize(), config.memberRangeSize(), config.maxBinaryBytes(),
                Clock.systemUTC());
    }

    /** For tests: any DataSource, connector, member range size and clock; the default binary cap (100 KiB). */
    public AdSyncExecutor(DataSource ds, SecretCipher cipher, DirectoryConnector connector, int batchSize,
                          int memberRangeSize, Clock clock) {
        this(ds, cipher, connector, batchSize, memberRangeSize, 102_400, clock);
    }

    /** For tests: any DataSource, connector, member range size, binary cap and clock. */
    public AdSyncExecutor(DataSource ds, SecretCipher cipher, DirectoryConnector connector, int batchSize,
                          int memberRangeSize, int maxBinaryBytes, Clock clock) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("adsync.sync.batch-size must be at least 1");
        }
        if (memberRangeSize < 0) {
            throw new IllegalArgumentException("adsync.sync.member-range-size must be 0 (the server decides) or positive");
        }
        if (maxBinaryBytes < 0) {
            throw new IllegalArgumentException("adsync.sync.max-binary-bytes must not be negative");
        }
        this.ds = ds;
        this.cipher = cipher;
        this.domainSync = new DomainSync(ds, connector, batchSize, memberRangeSize, maxBinaryBytes, clock);
    }

    @Override
    public RunResult execute(RunContext ctx) {
        List<DomainReport> outcomes = new ArrayList<>();
        SyncCounters.RunTotals totals = new SyncCounters.RunTotals();
        boolean cancelled = false;
        for (UUID id : ctx.domainIds()) {
            if (cancelled || ctx.isCancelled()) {
                cancelled = true;
                outcomes.add(DomainReport.early(id, null, "SKIPPED", null, "not started: the run was cancelled"));
                continue;
            }
            DomainReport o = syncOne(ctx, id, totals);
            outcomes.add(o);
            cancelled = o.category() == ErrorCategory.CANCELLED;
        }
        return result(outcomes);
    }

    private DomainReport syncOne(RunContext ctx, UUID id, SyncCounters.RunTotals totals) {
        Domain domain;
        try {
            Optional<Domain> row = Tx.run(ds, c -> AccountSql.loadDomain(c, id));
            if (row.isEmpty()) {
                return failed(id, null, ErrorCategory.INTERNAL, "the domain no longer exists");
            }
            domain = row.get();
        } catch (SQLException e) {
            return failed(id, null, ErrorCategory.DB, "database error loading the domain: " + e.getMessage());
        }
        String password;
        try {
            password = cipher.decrypt(domain.bindPasswordEncrypted, domain.id);
        } catch (RuntimeException e) {
            return failed(id, domain.name, ErrorCategory.INTERNAL,
                    "the bind password cannot be decrypted (" + e.getMessage() + "); is adsync.encryption-key the API's key?");
        }
        return domainSync.sync(ctx, domain, password, totals); // a LeaseLostException passes through
    }

    private static DomainReport failed(UUID id, String name, ErrorCategory category, String message) {
        LOG.warnf("domain %s: %s %s", name == null ? id : name, category, message);
        return DomainReport.early(id, name, "FAILED", category, message);
    }

    static RunResult result(List<DomainReport> outcomes) {
        RunStats stats = RunStats.EMPTY;
        List<Map<String, Object>> domains = new ArrayList<>();
        List<DomainReport> failed = new ArrayList<>();
        for (DomainReport o : outcomes) {
            stats = stats.plus(o.stats());
            domains.add(o.toDetails());
            if (o.failed()) {
                failed.add(o);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("domains", domains);
        SyncMode mode = mode(outcomes);
        String modeReason = modeReason(outcomes, mode);
        if (failed.isEmpty()) {
            return new RunResult(stats, details, mode, modeReason, null, null);
        }
        DomainReport main = failed.stream().filter(o -> o.category() == ErrorCategory.CANCELLED).findFirst()
                .or(() -> failed.stream().filter(o -> o.category() != ErrorCategory.DELETION_THRESHOLD).findFirst())
                .orElse(failed.getFirst());
        String message;
        if (outcomes.size() == 1) {
            message = main.message();
        } else {
            StringBuilder sb = new StringBuilder();
            sb.append(failed.size()).append(" of ").append(outcomes.size()).append(" domains failed: ");
            for (int i = 0; i < failed.size(); i++) {
                DomainReport o = failed.get(i);
                sb.append(i == 0 ? "" : "; ").append(o.name() == null ? o.domainId() : o.name()).append(": ")
                        .append(o.category()).append(' ').append(o.message());
            }
            message = sb.toString();
        }
        return new RunResult(stats, details, mode, modeReason, main.category(), message);
    }

    /**
     * The run's mode: INCREMENTAL only if every domain was synced incrementally; FULL if any domain chose FULL (or
     * never got to choose while others did); null if no domain got as far as choosing.
     */
    static SyncMode mode(List<DomainReport> outcomes) {
        if (outcomes.stream().noneMatch(o -> o.mode() != null)) {
            return null;
        }
        return outcomes.stream().allMatch(o -> o.mode() == SyncMode.INCREMENTAL) ? SyncMode.INCREMENTAL : SyncMode.FULL;
    }

    /** One domain: its reason. Several: which were full and why (each domain's reason is in its details too). */
    static String modeReason(List<DomainReport> outcomes, SyncMode mode) {
        if (mode == null) {
            return null;
        }
        if (outcomes.size() == 1) {
            return outcomes.getFirst().modeReason();
        }
        if (mode == SyncMode.INCREMENTAL) {
            return "every domain (" + outcomes.size() + ") was synced incrementally";
        }
        List<DomainReport> notIncremental = outcomes.stream().filter(o -> o.mode() != SyncMode.INCREMENTAL).toList();
        StringBuilder sb = new StringBuilder().append(notIncremental.size()).append(" of ").append(outcomes.size())
                .append(" domains not incremental: ");
        for (int i = 0; i < notIncremental.size(); i++) {
            DomainReport o = notIncremental.get(i);
            sb.append(i == 0 ? "" : "; ").append(o.name() == null ? o.domainId() : o.name()).append(": ")
                    .append(o.mode() == null ? "did not get to choose (" + o.state() + ")" : o.modeReason());
        }
        return sb.toString();
    }
}
