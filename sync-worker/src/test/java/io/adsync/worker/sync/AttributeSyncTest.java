package io.adsync.worker.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.adsync.crypto.SecretCipher;
import io.adsync.directory.AdAttributes;
import io.adsync.domain.AttributeMapping;
import io.adsync.domain.Domain;
import io.adsync.run.RunOptions;
import io.adsync.run.RunStats;
import io.adsync.run.SyncMode;
import io.adsync.worker.run.RunContext;
import io.adsync.worker.run.RunResult;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.adsync.worker.sync.InMemoryAd.User;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attribute mappings (issue 13) against an in-memory directory in AD mode, with a real PostgreSQL: every type,
 * manager links (a chain with a cycle, a renamed and moved manager, a manager out of scope), ranged values, the
 * binary cap, a mapping change forcing a full sync, and a no-change resync writing nothing. The same on Samba:
 * {@link SambaAdIT}.
 */
@QuarkusTest
class AttributeSyncTest {

    static final String ALL_TYPES = """
            [{"source":"department","target":"department","type":"STRING"},
             {"source":"otherTelephone","target":"phones","type":"STRINGS"},
             {"source":"badPwdCount","target":"badPwdCount","type":"INTEGER"},
             {"source":"msExchHideFromAddressLists","target":"hidden","type":"BOOLEAN"},
             {"source":"pwdLastSet","target":"pwdLastSet","type":"DATETIME"},
             {"source":"whenCreated","target":"created","type":"DATETIME"},
             {"source":"accountExpires","target":"expires","type":"DATETIME"},
             {"source":"thumbnailPhoto","target":"photo","type":"BINARY"},
             {"source":"objectGUID","target":"guid","type":"GUID"},
             {"source":"objectSid","target":"sid","type":"SID"},
             {"source":"manager","target":"manager","type":"DN_REFERENCE"}]""";

    static InMemoryAd ad;
    static int scopes;

    @Inject
    AdSyncExecutor executor;
    @Inject
    AgroalDataSource ds;
    @Inject
    SecretCipher cipher;

    EngineDb db;

    @BeforeAll
    static void startAd() throws Exception {
        ad = new InMemoryAd(true);
    }

    @AfterAll
    static void stopAd() {
        ad.close();
    }

    @BeforeEach
    void setUp() {
        db = new EngineDb(ds, cipher);
        ad.faults().reset();
        ad.faults().maxValRange = 0;
    }

    final class Fixture {
        final String users;
        final String moved;
        final Domain domain;
        final UUID job;

        Fixture(String name, String mappings) throws Exception {
            String base = ad.scope(name + "-" + (++scopes));
            users = "OU=Users," + base;
            moved = "OU=Moved," + base;
            Domain d = TestDomains.plain(ad);
            d.name = name + "-" + scopes;
            d.baseDn = base;
            d.pageSize = 20;
            domain = db.insert(d, InMemoryAd.BIND_PASSWORD);
            if (mappings != null) {
                db.mappings(domain.id, mappings);
            }
            job = db.job(domain.id, 500, 50);
        }

        User add(String sam, String... attributes) throws Exception {
            User u = User.simple(sam, users);
            ad.add(u);
            for (int i = 0; i < attributes.length; i += 2) {
                ad.replaceQuietly(u.dn(), attributes[i], attributes[i + 1]);
            }
            return u;
        }

        RunResult sync(RunOptions options) throws Exception {
            RunContext ctx = db.claimedRun(job, options, List.of(domain.id));
            RunResult r = executor.execute(ctx);
            db.endRun(ctx);
            assertThat(r.failed()).as(r.errorMessage()).isFalse();
            return r;
        }

        RunResult sync() throws Exception {
            return sync(RunOptions.DEFAULT);
        }

        Map<String, EngineDb.Mapped> mapped() throws Exception {
            return db.mapped(domain.id);
        }

        UUID id(String username) throws Exception {
            return db.accountId(domain.id, username);
        }

        Map<UUID, String> stamps() throws Exception {
            Map<UUID, String> m = new java.util.HashMap<>();
            db.accounts(domain.id).forEach((k, v) -> m.put(k, v.writeStamp()));
            return m;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> details(RunResult r) {
        return ((List<Map<String, Object>>) r.details().get("domains")).getFirst();
    }

    @Test
    void everyTypeIsConvertedAndOnlyMappedAttributesAreRequested() throws Exception {
        Fixture f = new Fixture("types", ALL_TYPES);
        User boss = f.add("boss");
        byte[] photo = new byte[2048];
        new java.util.Random(7).nextBytes(photo);
        byte[] sid = {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, (byte) 0x9c, 0x2b, 0x6f, 0x1d, 0x11, 0x22, 0x33, 0x44,
                0x55, 0x66, 0x77, (byte) 0x88, (byte) 0xe9, 0x03, 0, 0};
        User u = f.add("typed", "department", "Sales", "badPwdCount", "3", "msExchHideFromAddressLists", "TRUE",
                "pwdLastSet", "133500000000000000", "whenCreated", "20240102030405.0Z", "manager", boss.dn());
        ad.server().modify(u.dn(), new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.REPLACE,
                "otherTelephone", "+1 555 0003", "+1 555 0001", "+1 555 0002"));
        ad.server().modify(u.dn(), new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.REPLACE,
                "thumbnailPhoto", photo));
        ad.server().modify(u.dn(), new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.REPLACE,
                "objectSid", sid));
        f.add("badint", "badPwdCount", "three", "accountExpires", "9223372036854775807");

        RunResult r = f.sync();

        assertThat(ad.faults().lastRequestedAttributes).containsExactlyElementsOf(java.util.stream.Stream.concat(
                AdAttributes.REQUESTED.stream(), java.util.stream.Stream.of("department", "otherTelephone", "badPwdCount",
                        "msExchHideFromAddressLists", "pwdLastSet", "whenCreated", "thumbnailPhoto", "objectSid", "manager")).toList());
        JsonNode a = f.mapped().get("typed").json();
        assertThat(a.get("department").asText()).isEqualTo("Sales");
        assertThat(a.get("phones").toString()).isEqualTo("[\"+1 555 0003\",\"+1 555 0001\",\"+1 555 0002\"]");
        assertThat(a.get("badPwdCount").isIntegralNumber()).isTrue();
        assertThat(a.get("badPwdCount").asLong()).isEqualTo(3);
        assertThat(a.get("hidden").isBoolean()).isTrue();
        assertThat(a.get("hidden").asBoolean()).isTrue();
        assertThat(a.get("pwdLastSet").asText()).isEqualTo(AdAttributes.fromFileTime(133500000000000000L).toString());
        assertThat(a.get("created").asText()).isEqualTo("2024-01-02T03:04:05Z");
        assertThat(a.has("expires")).as("accountExpires 0 is never: no value").isFalse();
        assertThat(Base64.getDecoder().decode(a.get("photo").asText())).isEqualTo(photo);
        assertThat(a.get("guid").asText()).isEqualTo(u.guid().toString());
        assertThat(a.get("sid").asText()).isEqualTo("S-1-5-21-493824924-1144201745-2289526357-1001");
        assertThat(a.get("manager").asText()).isEqualTo(boss.dn());
        assertThat(f.mapped().get("typed").managerId()).isEqualTo(f.id("boss"));
        JsonNode bad = f.mapped().get("badint").json();
        assertThat(bad.has("badPwdCount")).isFalse();
        assertThat(bad.has("expires")).isFalse();
        assertThat(details(r).get("warnings")).asString().contains("badPwdCount is not a valid INTEGER");
        assertThat(details(r)).containsEntry("warningsTotal", 1L).containsEntry("managerLinks", Map.of("linked", 1L, "refreshed", 0L));
        assertThat(r.stats()).isEqualTo(new RunStats(3, 0, 0, 0, 0, 0));
    }

    @Test
    void managerChainWithACycleOutOfScopeManagerAndNoChangeResyncWritingNothing() throws Exception {
        Fixture f = new Fixture("chain", null); // the defaults
        User outsider = User.simple("outside-boss-" + scopes, InMemoryAd.OUTSIDE);
        ad.add(outsider);
        // a chain of depth 3 under a cycle: c1 -> c2 -> c3 -> c1, m1 -> c1, m2 -> m1, m3 -> m2 (written before their managers)
        User c1 = User.simple("c1", f.users);
        User c2 = User.simple("c2", f.users);
        User c3 = User.simple("c3", f.users);
        User m3 = f.add("m3", "manager", "CN=m2," + f.users);
        User m2 = f.add("m2", "manager", "CN=m1," + f.users);
        User m1 = f.add("m1", "manager", c1.dn());
        for (User c : List.of(c1, c2, c3)) {
            ad.add(c);
        }
        ad.replaceQuietly(c1.dn(), "manager", c2.dn());
        ad.replaceQuietly(c2.dn(), "manager", c3.dn());
        ad.replaceQuietly(c3.dn(), "manager", c1.dn().toUpperCase()); // DNs compare ignoring case
        f.add("lonely", "manager", outsider.dn(), "department", "Sales", "title", "Clerk", "company", "Corp",
                "employeeID", "E1", "telephoneNumber", "+1 555 0100", "mobile", "+1 555 0199",
                "physicalDeliveryOfficeName", "Building 1");

        RunResult first = f.sync();

        Map<String, EngineDb.Mapped> m = f.mapped();
        assertThat(m.get("m3").managerId()).isEqualTo(f.id("m2"));
        assertThat(m.get("m2").managerId()).isEqualTo(f.id("m1"));
        assertThat(m.get("m1").managerId()).isEqualTo(f.id("c1"));
        assertThat(m.get("c1").managerId()).isEqualTo(f.id("c2"));
        assertThat(m.get("c2").managerId()).isEqualTo(f.id("c3"));
        assertThat(m.get("c3").managerId()).isEqualTo(f.id("c1"));
        assertThat(m.get("lonely").managerId()).as("a manager outside the scope").isNull();
        assertThat(m.get("lonely").json().get("manager").asText()).isEqualTo(outsider.dn());
        assertThat(m.get("lonely").json().toString()).isEqualTo("{\"title\":\"Clerk\",\"mobile\":\"+1 555 0199\","
                + "\"office\":\"Building 1\",\"company\":\"Corp\",\"manager\":\"" + outsider.dn() + "\",\"department\":\"Sales\","
                + "\"employeeId\":\"E1\",\"telephoneNumber\":\"+1 555 0100\"}");
        assertThat(details(first)).containsEntry("managerLinks", Map.of("linked", 6L, "refreshed", 0L));

        Map<UUID, String> before = f.stamps();
        RunResult full = f.sync(new RunOptions(SyncMode.FULL, null));
        RunResult incremental = f.sync();

        assertThat(full.mode()).isEqualTo(SyncMode.FULL);
        assertThat(incremental.mode()).isEqualTo(SyncMode.INCREMENTAL);
        for (RunResult r : List.of(full, incremental)) {
            assertThat(r.stats()).isEqualTo(new RunStats(0, 0, 0, 0, full == r ? 7 : 0, 0));
            assertThat(details(r)).doesNotContainKey("managerLinks").doesNotContainKey("warnings");
        }
        assertThat(f.stamps()).as("no row written, attributes and links included").isEqualTo(before);
    }

    @Test
    void aRenamedAndMovedManagerKeepsTheLinkAndItsReportsGetTheNewDn() throws Exception {
        Fixture f = new Fixture("rename", null);
        User boss = f.add("boss");
        User r1 = f.add("r1", "manager", boss.dn());
        User r2 = f.add("r2", "manager", boss.dn());
        f.sync();
        UUID bossId = f.id("boss");
        assertThat(f.mapped().get("r1").managerId()).isEqualTo(bossId);

        String newDn = "CN=big-boss," + f.moved;
        ad.moveOrRename(boss.dn(), "CN=big-boss", f.moved);
        // as AD shows a linked attribute: the reports' manager names the new DN, the reports themselves did not change
        ad.replaceQuietly(r1.dn(), "manager", newDn);
        ad.replaceQuietly(r2.dn(), "manager", newDn);

        RunResult incremental = f.sync();

        assertThat(incremental.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(incremental.stats().updated()).as("only the boss was read and written").isEqualTo(1);
        assertThat(details(incremental)).containsEntry("managerLinks", Map.of("linked", 0L, "refreshed", 2L));
        for (String r : List.of("r1", "r2")) {
            assertThat(f.mapped().get(r).managerId()).isEqualTo(bossId);
            assertThat(f.mapped().get(r).json().get("manager").asText()).isEqualTo(newDn);
        }
        Map<UUID, String> before = f.stamps();
        RunResult full = f.sync(new RunOptions(SyncMode.FULL, null));
        assertThat(full.stats().updated()).isZero();
        assertThat(f.stamps()).isEqualTo(before);

        // the report gets another manager: re-linked from the new DN
        ad.replace(r1.dn(), "manager", r2.dn());
        f.sync();
        assertThat(f.mapped().get("r1").managerId()).isEqualTo(f.id("r2"));
        ad.remove(r1.dn(), "manager");
        f.sync();
        assertThat(f.mapped().get("r1").managerId()).isNull();
        assertThat(f.mapped().get("r1").json().has("manager")).isFalse();
    }

    @Test
    void moreThan1500ValuesAreReadWithRangesAndKeptInOrder() throws Exception {
        ad.faults().maxValRange = 1500;
        Fixture f = new Fixture("ranged", """
                [{"source":"otherTelephone","target":"phones","type":"STRINGS"},
                 {"source":"department","target":"department","type":"STRING"}]""");
        User u = f.add("many", "department", "Ops");
        String[] phones = IntStream.range(0, 1600).mapToObj(i -> String.format("+1 555 %05d", 1600 - i)).toArray(String[]::new);
        ad.server().modify(u.dn(), new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.REPLACE,
                "otherTelephone", phones));
        f.add("few");
        ad.replaceQuietly("CN=few," + f.users, "otherTelephone", "+1 1");

        f.sync();

        JsonNode a = f.mapped().get("many").json();
        List<String> stored = new ArrayList<>();
        a.get("phones").forEach(n -> stored.add(n.asText()));
        assertThat(stored).containsExactly(phones);
        assertThat(a.get("department").asText()).isEqualTo("Ops");
        assertThat(f.mapped().get("few").json().get("phones").toString()).isEqualTo("[\"+1 1\"]");
        assertThat(ad.faults().rangedAnswers.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aThumbnailOverTheCapIsLeftOutWithAWarningAndTheRunSucceeds() throws Exception {
        Fixture f = new Fixture("photo", """
                [{"source":"thumbnailPhoto","target":"photo","type":"BINARY"}]""");
        User small = f.add("small");
        User big = f.add("big");
        byte[] under = new byte[100 * 1024];
        byte[] over = new byte[100 * 1024 + 1];
        java.util.Arrays.fill(under, (byte) 0xff);
        ad.replaceBytes(small.dn(), "thumbnailPhoto", under);
        ad.replaceBytes(big.dn(), "thumbnailPhoto", over);

        RunResult r = f.sync();

        assertThat(Base64.getDecoder().decode(f.mapped().get("small").json().get("photo").asText())).isEqualTo(under);
        assertThat(f.mapped().get("big").json().has("photo")).isFalse();
        assertThat(r.errorCategory()).isNull();
        assertThat(details(r)).containsEntry("state", "SUCCEEDED").containsEntry("warningsTotal", 1L);
        assertThat(details(r).get("warnings")).asString().contains(big.dn() + ": thumbnailPhoto is 102401 bytes, over the cap "
                + "of 102400 (adsync.sync.max-binary-bytes)");
    }

    @Test
    void changingTheMappingsForcesAFullSyncThatSaysWhy() throws Exception {
        Fixture f = new Fixture("remap", """
                [{"source":"department","target":"department","type":"STRING"}]""");
        f.add("a1", "department", "Sales", "title", "Boss");
        f.add("a2", "department", "Ops", "title", "Clerk");
        f.sync();
        assertThat(f.sync().mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(f.mapped().get("a1").json().has("jobTitle")).isFalse();

        db.mappings(f.domain.id, """
                [{"source":"department","target":"department","type":"STRING"},
                 {"source":"title","target":"jobTitle","type":"STRING"}]""");
        RunResult r = f.sync();

        assertThat(r.mode()).isEqualTo(SyncMode.FULL);
        assertThat(r.modeReason()).startsWith("the domain's attribute mappings were changed at ")
                .endsWith("every user is read again to fill the new mappings");
        assertThat(f.mapped().get("a1").json().get("jobTitle").asText()).isEqualTo("Boss");
        assertThat(r.stats().updated()).isEqualTo(2);
        assertThat(f.sync().mode()).isEqualTo(SyncMode.INCREMENTAL);
    }

    @Test
    void defaultsAreDefinedOnce() {
        assertThat(AttributeMapping.DEFAULTS).extracting(AttributeMapping::target).containsExactly("department", "title",
                "company", "employeeId", "telephoneNumber", "mobile", "office", "manager");
    }
}
