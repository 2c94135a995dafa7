package io.adsync.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Scenario 4: an incremental sync after 10 changes, on the small and on the big directory, to show the time
 * does not grow with the directory. Each round makes exactly 10 changes over LDAPS with ldapmodify:
 * 7 generated users get a new displayName, a user added for the benchmark is disabled (odd rounds) or enabled
 * again (even rounds), the user added by the previous round is deleted and a new (enabled) one is added. Then a run is queued with no mode (the job chooses: incremental, since the
 * watermark is valid) and timed end to end, from the API's queueing of the run to SUCCEEDED
 * (job_run.created_at to finished_at), and from its claim. The run must be INCREMENTAL and must have applied
 * exactly those changes: 1 created, 7 updated, 1 deactivated by the deletion, 1 deactivated or reactivated.
 */
public final class IncrementalScenario implements Scenario {

    @Override
    public boolean covers(Set<Integer> wanted) {
        return wanted.contains(4);
    }

    @Override
    public List<Row> run(BenchContext ctx, Set<Integer> wanted) throws Exception {
        JvmProcess worker = ctx.startSyncWorker("bench-sync-inc", FullSyncScenarios.WORKER_JVM, Map.of());
        List<Row> rows = new ArrayList<>();
        try {
            List<Row> small = measure(ctx, ctx.small());
            List<Row> big = measure(ctx, ctx.big());
            Row bigEndToEnd = big.get(0);
            rows.addAll(small);
            rows.add(bigEndToEnd.notes(bigEndToEnd.notes() + String.format("; %.2fx the time at %,d users for %.0fx the users",
                    bigEndToEnd.median() / small.get(0).median(), ctx.small().users(),
                    (double) ctx.big().users() / ctx.small().users())));
            rows.addAll(big.subList(1, big.size()));
        } finally {
            worker.stop(Duration.ofSeconds(40));
        }
        return rows;
    }

    private List<Row> measure(BenchContext ctx, Fixture f) throws Exception {
        UUID job = ctx.job(f);
        // unique per benchmark run, so a DC used before (not restored from the cache) works too
        String prefix = "benchinc-" + f.name() + "-" + Long.toString(System.currentTimeMillis() / 1000, 36) + "-";
        String first = prefix + "0";
        String toggled = prefix + "toggled"; // disabled in odd rounds, enabled again in even ones
        ldapModify(f, add(f, first) + add(f, toggled));
        ctx.runToSuccess(job, "FULL", FullSyncScenarios.RUN_TIMEOUT); // the baseline (and the watermark)
        ctx.runToSuccess(job, null, FullSyncScenarios.RUN_TIMEOUT);    // warm-up of the incremental path
        List<Double> endToEnd = new ArrayList<>();
        List<Double> fromClaim = new ArrayList<>();
        String previous = first;
        for (int round = 1; round <= ctx.runs(); round++) {
            String added = prefix + round;
            StringBuilder ldif = new StringBuilder();
            for (int k = 0; k < 7; k++) {
                int index = (k * (f.users() / 7) + round * 13) % f.users();
                ldif.append("dn: CN=").append(user(index)).append(',').append(f.get("AD_USERS_DN")).append('\n')
                        .append("changetype: modify\nreplace: displayName\ndisplayName: ").append(prefix).append(round)
                        .append(" user ").append(index).append("\n\n");
            }
            ldif.append("dn: CN=").append(toggled).append(',').append(f.get("AD_USERS_DN")).append('\n')
                    .append("changetype: modify\nreplace: userAccountControl\nuserAccountControl: ")
                    .append(round % 2 == 1 ? 514 : 512).append("\n\n");
            ldif.append("dn: CN=").append(previous).append(',').append(f.get("AD_USERS_DN")).append("\nchangetype: delete\n\n");
            ldif.append(add(f, added));
            ldapModify(f, ldif.toString());
            previous = added;

            BenchContext.RunRecord r = ctx.runToSuccess(job, null, FullSyncScenarios.RUN_TIMEOUT);
            long toggledChange = r.stat("deactivated") + r.stat("reactivated");
            if (!"INCREMENTAL".equals(r.mode()) || r.stat("created") != 1 || r.stat("updated") != 7 || toggledChange != 2) {
                throw new IllegalStateException("incremental run " + r.id() + " (" + r.mode() + ") applied " + r.stats()
                        + ", expected created 1, updated 7, deactivated+reactivated 2");
            }
            endToEnd.add(r.queuedToEndSeconds());
            fromClaim.add(r.claimToEndSeconds());
        }
        String users = String.format("%,d", f.users());
        Row e2e = Row.of("4.incremental." + f.users(), "4. incremental sync after 10 changes, " + users + " users (queued to SUCCEEDED)", "s", endToEnd);
        e2e = e2e.target("< 0.5 s", e2e.max() < 0.5).notes("every run INCREMENTAL: 1 created, 7 updated, 1 deleted, 1 disabled/enabled");
        Row claim = Row.of("4.incremental." + f.users() + ".claimed", "4. the same, from claim to SUCCEEDED, " + users + " users", "s", fromClaim);
        return List.of(e2e, claim);
    }

    private static String user(int index) {
        return String.format("user%05d", index);
    }

    private static String add(Fixture f, String cn) {
        return "dn: CN=" + cn + "," + f.get("AD_USERS_DN") + "\nchangetype: add\nobjectClass: user\nsAMAccountName: " + cn
                + "\nuserPrincipalName: " + cn + "@" + f.get("AD_REALM").toLowerCase() + "\ndisplayName: " + cn
                + "\nuserAccountControl: 512\n\n";
    }

    static void ldapModify(Fixture f, String ldif) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ldapmodify", "-H", f.get("AD_LDAPS_URL"), "-x", "-D", f.get("AD_BIND_DN"),
                "-w", f.get("AD_BIND_PASSWORD")).redirectErrorStream(true);
        pb.environment().put("LDAPTLS_CACERT", f.get("AD_CA_PEM"));
        Process p = pb.start();
        p.getOutputStream().write(ldif.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ldapmodify failed: " + out + "\n" + ldif);
        }
    }
}
