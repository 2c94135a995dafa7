package io.adsync.worker.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.adsync.common.JsonColumns;
import io.adsync.crypto.SecretCipher;
import io.adsync.domain.Domain;
import io.adsync.run.RunOptions;
import io.adsync.run.SyncMode;
import io.adsync.run.ledger.RunLedger;
import io.adsync.worker.run.RunContext;
import io.adsync.worker.run.RunResult;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.adsync.worker.sync.InMemoryAd.User;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run's {@code details} JSON, as the worker stores it ({@link WorkSql#toJson}) and the API returns it, for
 * representative runs, compared with the JSON captured before the domain sync became a pipeline
 * ({@code src/test/resources/details-json/*.json}): the same keys, the same values, the same omissions. Values that
 * differ from run to run (ids, durations, ports, USNs, times) are replaced by their JSON type before comparing.
 * {@code -Dadsync.details.capture=true} writes the files instead.
 */
@QuarkusTest
class DetailsJsonTest {

    static final Path GOLDEN = Path.of("src/test/resources/details-json");
    static final Set<String> VOLATILE = Set.of("domainId", "durationMs", "server", "invocationId", "highestCommittedUsn",
            "fromUsn");

    static InMemoryAd ad;
    static InMemoryAd plainAd;
    static int scopes;

    @Inject
    AdSyncExecutor executor;
    @Inject
    AgroalDataSource ds;
    @Inject
    SecretCipher cipher;

    EngineDb db;
    final List<String> names = new ArrayList<>();

    @BeforeAll
    static void startAd() throws Exception {
        ad = new InMemoryAd(true);
        plainAd = new InMemoryAd(false);
    }

    @AfterAll
    static void stopAd() {
        ad.close();
        plainAd.close();
    }

    @BeforeEach
    void setUp() {
        db = new EngineDb(ds, cipher);
        ad.faults().reset();
        plainAd.faults().reset();
    }

    final class Fixture {
        final String users;
        final String groups;
        final Domain domain;
        final UUID job;
        final List<User> added = new ArrayList<>();

        Fixture(InMemoryAd dir, String name, boolean withGroups, int maxDeactivations, int maxPercent) throws Exception {
            String base = dir.scope(name + "-" + (++scopes));
            users = "OU=Users," + base;
            groups = "OU=Groups," + base;
            Domain d = TestDomains.plain(dir);
            d.name = name + "-" + scopes;
            d.baseDn = base;
            d.pageSize = 20;
            domain = db.insert(d, InMemoryAd.BIND_PASSWORD);
            if (withGroups) {
                dir.addOu(groups);
                db.updateDomain(domain.id, "group_base_dn", groups);
            }
            job = db.job(domain.id, maxDeactivations, maxPercent);
            names.add(d.name);
        }

        List<User> addUsers(InMemoryAd dir, String prefix, int n) throws Exception {
            for (int i = 0; i < n; i++) {
                User u = User.simple(String.format("%s%04d", prefix, i), users);
                dir.add(u);
                added.add(u);
            }
            return added;
        }

        RunResult sync(RunOptions options) throws Exception {
            RunContext ctx = db.claimedRun(job, options, List.of(domain.id));
            RunResult r = executor.execute(ctx);
            db.endRun(ctx);
            return r;
        }
    }

    @Test
    void fullThenIncrementalWithGroups() throws Exception {
        Fixture f = new Fixture(ad, "gold-groups", true, 500, 50);
        List<User> u = f.addUsers(ad, "dg", 30);
        ad.addGroup("staff", f.groups, List.of(u.get(0).dn(), u.get(1).dn(), "CN=eng," + f.groups));
        ad.addGroup("eng", f.groups, List.of(u.get(2).dn(), "CN=staff," + f.groups));
        ad.addGroup("empty", f.groups, List.of());
        assertMatches("full-groups", f.sync(RunOptions.DEFAULT));

        ad.add(User.simple("dg-new", f.users));
        ad.replace(u.get(0).dn(), "displayName", "Changed Zero");
        ad.replace(u.get(1).dn(), "userAccountControl", "514");
        ad.delete(u.get(4).dn());
        ad.moveOrRename(u.get(5).dn(), "CN=" + u.get(5).cn(), InMemoryAd.OUTSIDE);
        ad.delete("CN=empty," + f.groups);
        assertMatches("incremental-groups", f.sync(RunOptions.DEFAULT));

        assertMatches("incremental-unchanged", f.sync(RunOptions.DEFAULT));
    }

    @Test
    void guardTrippedIncrementalAndFull() throws Exception {
        Fixture f = new Fixture(ad, "gold-guard", false, 500, 10);
        List<User> u = f.addUsers(ad, "gg", 20);
        f.sync(RunOptions.DEFAULT);
        for (int i = 0; i < 5; i++) {
            ad.delete(u.get(i).dn());
        }
        ad.replace(u.get(10).dn(), "displayName", "Renamed Ten");
        assertMatches("guard-incremental", f.sync(RunOptions.DEFAULT));
        assertMatches("guard-full", f.sync(new RunOptions(SyncMode.FULL, null)));
        assertMatches("guard-overridden", f.sync(new RunOptions(SyncMode.FULL, true)));
    }

    @Test
    void noWatermarkPageFailureCancelAndTwoDomains() throws Exception {
        Fixture plain = new Fixture(plainAd, "gold-plain", false, 500, 20);
        plain.addUsers(plainAd, "gp", 45);
        assertMatches("full-no-watermark", plain.sync(RunOptions.DEFAULT));

        plainAd.faults().resetCounters();
        plainAd.faults().failPage = 2;
        plainAd.faults().failCode = com.unboundid.ldap.sdk.ResultCode.ADMIN_LIMIT_EXCEEDED;
        assertMatches("page-failure", plain.sync(RunOptions.DEFAULT));
        plainAd.faults().reset();

        // cancelled while reading the groups (the users are all written by then): the second domain is SKIPPED
        Fixture g = new Fixture(ad, "gold-cancel", true, 500, 20);
        g.addUsers(ad, "gc", 30);
        for (int i = 0; i < 30; i++) {
            ad.addGroup("grp" + i, g.groups, List.of());
        }
        Fixture other = new Fixture(ad, "gold-other", false, 500, 20);
        UUID allJob = db.job(null, 500, 20);
        RunContext ctx = db.claimedRun(allJob, RunOptions.DEFAULT, List.of(g.domain.id, other.domain.id));
        ad.faults().resetCounters();
        ad.faults().onPage = n -> {
            if (n == 4) { // users: pages 1-2, groups: 3-4
                ctx.cancel("cancelled by the test");
            }
        };
        RunResult cancelled = executor.execute(ctx);
        db.endRun(ctx);
        ad.faults().reset();
        assertMatches("cancelled-in-groups", cancelled);

        // one domain unreachable, one gone, one fine
        Fixture bad = new Fixture(ad, "gold-bad", false, 500, 20);
        db.updateDomain(bad.domain.id, "hosts", List.of("127.0.0.99"));
        Fixture good = new Fixture(ad, "gold-good", false, 500, 20);
        good.addUsers(ad, "gd", 7);
        UUID job = db.job(null, 500, 20);
        RunContext three = db.claimedRun(job, RunOptions.DEFAULT, List.of(bad.domain.id,
                UUID.fromString("00000000-0000-0000-0000-00000000dead"), good.domain.id));
        RunResult r = executor.execute(three);
        db.endRun(three);
        assertMatches("three-domains", r);
    }

    private void assertMatches(String name, RunResult r) throws Exception {
        JsonNode actual = normalise(JsonColumns.MAPPER.readTree(RunLedger.json(r.details())));
        Path file = GOLDEN.resolve(name + ".json");
        if (Boolean.getBoolean("adsync.details.capture")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, JsonColumns.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
            return;
        }
        JsonNode expected = JsonColumns.MAPPER.readTree(Files.readString(file));
        assertThat(actual).as(name + ": " + actual.toPrettyString()).isEqualTo(expected);
    }

    private JsonNode normalise(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (VOLATILE.contains(e.getKey())) {
                    e.setValue(TextNode.valueOf("<" + e.getValue().getNodeType() + ">"));
                } else {
                    e.setValue(normalise(e.getValue()));
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, normalise(node.get(i)));
            }
        } else if (node.isTextual()) {
            String s = node.asText();
            for (String n : names) {
                s = s.replace(n, "<name>");
            }
            s = s.replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<instant>").replaceAll("USN \\d+", "USN <n>")
                    .replaceAll(":\\d{2,5}\\b", ":<port>");
            return TextNode.valueOf(s);
        }
        return node;
    }
}
