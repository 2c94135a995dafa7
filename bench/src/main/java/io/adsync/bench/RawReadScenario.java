package io.adsync.bench;

import io.adsync.directory.AdAttributes;
import io.adsync.domain.AttributeMapping;
import io.adsync.domain.Domain;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Scenario 1, the directory's own read speed: {@code ldapsearch -E pr=1000/noprompt} over LDAPS of the same base,
 * filter and attributes the engine asks for (the domain's default user filter, {@link AdAttributes#REQUESTED} and the
 * sources of the default attribute mappings, {@link AttributeMapping#DEFAULTS}, as a domain created through the API has),
 * timed from process start to exit. Every entry is read and counted, so a short answer is noticed.
 */
public final class RawReadScenario implements Scenario {

    /** The raw read of the big directory, in seconds (median), once scenario 1 ran: the yardstick of 2 and 3. */
    static volatile double rawReadSeconds = Double.NaN;

    @Override
    public boolean covers(Set<Integer> wanted) {
        return wanted.contains(1) || wanted.contains(2) || wanted.contains(3);
    }

    @Override
    public List<Row> run(BenchContext ctx, Set<Integer> wanted) throws Exception {
        Fixture f = ctx.big();
        search(f); // warm the DC's caches, as the engine's runs are measured warm too
        List<Double> seconds = new ArrayList<>();
        long entries = 0;
        for (int i = 0; i < ctx.runs(); i++) {
            long t0 = System.nanoTime();
            entries = search(f);
            seconds.add((System.nanoTime() - t0) / 1e9);
        }
        if (entries < f.users()) {
            throw new IllegalStateException("ldapsearch returned " + entries + " entries, the directory has " + f.users() + " users");
        }
        Row row = Row.of("1.raw-read", "1. raw paged read (ldapsearch, " + String.format("%,d", entries) + " users)", "s", seconds)
                .notes(String.format("%,.0f entries/s", entries / Row.median(seconds)))
                .fact("entries", entries);
        rawReadSeconds = row.median();
        return List.of(row);
    }

    /** One ldapsearch of every user; returns the number of entries it printed. */
    static long search(Fixture f) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ldapsearch", "-LLL", "-o", "ldif-wrap=no", "-H", f.get("AD_LDAPS_URL"),
                "-x", "-D", f.get("AD_BIND_DN"), "-w", f.get("AD_BIND_PASSWORD"), "-b", f.get("AD_SYNC_BASE_DN"),
                "-E", "pr=1000/noprompt", Domain.DEFAULT_USER_FILTER));
        cmd.addAll(AdAttributes.REQUESTED);
        AttributeMapping.DEFAULTS.stream().map(AttributeMapping::source).filter(a -> !AdAttributes.REQUESTED.contains(a))
                .forEach(cmd::add);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("LDAPTLS_CACERT", f.get("AD_CA_PEM"));
        Process p = pb.start();
        long n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("dn:") || line.startsWith("dn::")) {
                    n++;
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("ldapsearch exited with " + rc);
        }
        return n;
    }
}
