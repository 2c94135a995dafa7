package io.adsync.worker.sync;

/**
 * The per-job limit on accounts one run may deactivate because they were not found in the directory:
 * {@code min(maxDeactivations, floor(maxDeactivationPercent% of the domain's active accounts before the run))}.
 * A run over the limit applies its other changes, deactivates nothing and fails with DELETION_THRESHOLD,
 * unless the run was started with {@code allowMassDeactivation}. It protects against a wrong base DN or filter,
 * an OU deleted by mistake, or a directory answering with a partial view, turning into a mass lock-out.
 */
public record DeletionGuard(int maxDeactivations, int maxDeactivationPercent, boolean overridden) {

    public long threshold(long activeBefore) {
        long byPercent = activeBefore * Math.max(0, maxDeactivationPercent) / 100;
        return Math.max(0, Math.min(maxDeactivations, byPercent));
    }

    /** Whether deactivating {@code count} accounts is allowed. */
    public boolean allows(long count, long activeBefore) {
        return overridden || count <= threshold(activeBefore);
    }
}
