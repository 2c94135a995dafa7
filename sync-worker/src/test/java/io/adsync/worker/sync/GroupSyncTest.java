package io.adsync.worker.sync;

import io.adsync.crypto.SecretCipher;
import io.adsync.directory.DirectoryConnector;
import io.adsync.domain.Domain;
import io.adsync.run.RunOptions;
import io.adsync.run.RunStats;
import io.adsync.worker.db.Tx;
import io.adsync.worker.run.RunContext;
import io.adsync.worker.run.RunResult;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.adsync.worker.sync.InMemoryAd.Group;
import static io.adsync.worker.sync.InMemoryAd.User;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group sync against an in-memory directory that answers {@code member} like AD does (at most 1,500 values per
 * answer, {@code member;range=...}: {@link InMemoryAd.Faults#maxValRange}), with a real PostgreSQL.
 */
@QuarkusTest
class GroupSyncTest {

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
        ad.faults().maxValRange = 1500;
    }

    @AfterAll
    static void stopAd() {
        ad.close();
    }

    @BeforeEach
    void setUp() {
        db = new EngineDb(ds, cipher);
        ad.faults().reset();
    }

    final class Fixture {
        final String base;
        final String users;
        final String groups;
        final Domain domain;
        final UUID job;

        Fixture(String name) throws Exception {
            base = ad.scope(name + "-" + (++scopes));
            users = "OU=Users," + base;
            groups = "OU=Groups," + base;
            ad.addOu(groups);
            Domain d = TestDomains.plain(ad);
            d.name = name + "-" + scopes;
            d.baseDn = base;
            d.groupBaseDn = groups;
            d.pageSize = 500;
            domain = db.insert(d, InMemoryAd.BIND_PASSWORD);
            db.updateDomain(domain.id, "group_base_dn", groups);
            job = db.job(domain.id, 500, 50);
        }

        List<User> addUsers(String prefix, int n) throws Exception {
            List<User> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                User u = User.simple(String.format("%s%04d", prefix, i), users);
                ad.add(u);
                list.add(u);
            }
            return list;
        }

        RunResult sync(AdSyncExecutor with) throws Exception {
            RunContext ctx = db.claimedRun(job, RunOptions.DEFAULT, List.of(domain.id));
            RunResult r = with.execute(ctx);
            db.endRun(ctx);
            assertThat(r.failed()).as(r.errorMessage()).isFalse();
            return r;
        }

        RunResult sync() throws Exception {
            return sync(executor);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> groupStats(RunResult r) {
            return (Map<String, Object>) ((List<Map<String, Object>>) r.details().get("domains")).getFirst().get("groups");
        }

        Map<UUID, GroupRow> groups() throws SQLException {
            return Tx.run(ds, c -> {
                Map<UUID, GroupRow> rows = new LinkedHashMap<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT id, object_guid, name, sam_account_name, distinguished_name, description, active, deactivation_reason
                          FROM ad_group WHERE domain_id = ? ORDER BY name""")) {
                    ps.setObject(1, domain.id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.put(rs.getObject(2, UUID.class), new GroupRow(rs.getObject(1, UUID.class), rs.getString(3),
                                    rs.getString(4), rs.getString(5), rs.getString(6), rs.getBoolean(7), rs.getString(8)));
                        }
                    }
                }
                return rows;
            });
        }

        /** Direct members of the group (objectGUID): usernames of accounts and names of groups ("group:x"). */
        Set<String> members(UUID groupGuid) throws SQLException {
            return Tx.run(ds, c -> {
                Set<String> names = new HashSet<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT a.username FROM group_membership m JOIN account a ON a.id = m.account_id
                          JOIN ad_group g ON g.id = m.group_id WHERE g.domain_id = ? AND g.object_guid = ?
                        UNION ALL
                        SELECT 'group:' || n.name FROM group_nesting x JOIN ad_group n ON n.id = x.member_group_id
                          JOIN ad_group g ON g.id = x.group_id WHERE g.domain_id = ? AND g.object_guid = ?""")) {
                    ps.setObject(1, domain.id);
                    ps.setObject(2, groupGuid);
                    ps.setObject(3, domain.id);
                    ps.setObject(4, groupGuid);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            names.add(rs.getString(1));
                        }
                    }
                }
                return names;
            });
        }
    }

    record GroupRow(UUID id, String name, String sam, String dn, String description, boolean active, String reason) {
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void groupsAndTheirDirectMembersIncludingNestedGroupsAndACycle() throws Exception {
        Fixture f = new Fixture("groups");
        List<User> u = f.addUsers("gm", 6);
        User outsider = User.simple("outsider-" + scopes, InMemoryAd.OUTSIDE);
        ad.add(outsider);
        Group staff = ad.addGroup("staff", f.groups, List.of(u.get(0).dn(), u.get(1).dn(), "CN=eng," + f.groups));
        Group eng = ad.addGroup("eng", f.groups, List.of(u.get(2).dn(), u.get(3).dn(), staff.dn())); // a cycle
        Group empty = ad.addGroup("empty", f.groups, List.of());
        Group mixed = ad.addGroup("mixed", f.groups, List.of(u.get(4).dn(), outsider.dn(), "CN=nobody," + f.users,
                "CN=S-1-5-11,CN=ForeignSecurityPrincipals," + InMemoryAd.BASE));
        Group elsewhere = ad.addGroup("elsewhere-" + scopes, f.users, List.of(u.get(5).dn())); // outside the group base DN

        RunResult r = f.sync();

        assertThat(f.groupStats(r)).containsEntry("created", 4L).containsEntry("deactivated", 0L)
                .containsEntry("membershipsAdded", 7L).containsEntry("membershipsRemoved", 0L)
                .containsEntry("entriesRead", 8L); // 4 groups, then the members of each (1 read each)
        Map<UUID, GroupRow> rows = f.groups();
        assertThat(rows).hasSize(4).doesNotContainKey(elsewhere.guid());
        GroupRow s = rows.get(staff.guid());
        assertThat(s.name()).isEqualTo("staff");
        assertThat(s.sam()).isEqualTo("staff");
        assertThat(s.dn()).isEqualTo(staff.dn());
        assertThat(s.description()).isEqualTo("the staff group");
        assertThat(s.active()).isTrue();
        assertThat(f.members(staff.guid())).containsExactlyInAnyOrder("gm0000", "gm0001", "group:eng");
        assertThat(f.members(eng.guid())).containsExactlyInAnyOrder("gm0002", "gm0003", "group:staff");
        assertThat(f.members(empty.guid())).isEmpty();
        assertThat(f.members(mixed.guid())).containsExactly("gm0004"); // only synced accounts
        assertThat(ad.faults().rangedAnswers.get()).isEqualTo(4); // member;range=0-* each, answered in one range

        // unchanged: nothing written
        RunResult again = f.sync();
        assertThat(f.groupStats(again)).containsEntry("created", 0L).containsEntry("unchanged", 4L)
                .containsEntry("membershipsAdded", 0L).containsEntry("membershipsRemoved", 0L);
    }

    @Test
    void aGroupOf3000MembersIsReadCompletelyInRanges() throws Exception {
        Fixture f = new Fixture("large");
        List<User> u = f.addUsers("big", 3000);
        List<String> dns = u.stream().map(User::dn).toList();
        Group big = ad.addGroup("big", f.groups, dns);

        RunResult r = f.sync();

        // AD answers member;range=0-1499, then member;range=1500-*
        assertThat(ad.faults().rangedAnswers.get()).isEqualTo(2);
        assertThat(f.groupStats(r)).containsEntry("membershipsAdded", 3000L).containsEntry("entriesRead", 3L);
        assertThat(f.members(big.guid())).hasSize(3000).contains("big0000", "big1499", "big1500", "big2999");

        // explicit ranges of 1,000: 0-999, 1000-1999, 2000-2999 (answered as 2000-*); one member fewer
        ad.replace(big.dn(), "member", dns.subList(1, 3000).toArray(String[]::new));
        ad.faults().reset();
        AdSyncExecutor explicit = new AdSyncExecutor(ds, cipher, new DirectoryConnector(), 1000, 1000, Clock.systemUTC());
        RunResult again = f.sync(explicit);
        assertThat(ad.faults().rangedAnswers.get()).isEqualTo(3);
        assertThat(f.groupStats(again)).containsEntry("membershipsAdded", 0L).containsEntry("membershipsRemoved", 1L);
        assertThat(f.members(big.guid())).hasSize(2999).doesNotContain("big0000");
    }

    @Test
    void renamedAndMovedGroupsKeepTheirIdentityAndDeletedOnesLoseTheirMemberships() throws Exception {
        Fixture f = new Fixture("lifecycle");
        List<User> u = f.addUsers("gl", 4);
        ad.addOu("OU=Sub," + f.groups);
        Group parent = ad.addGroup("parent", f.groups, List.of(u.get(0).dn(), "CN=child," + f.groups));
        Group child = ad.addGroup("child", f.groups, List.of(u.get(1).dn(), u.get(2).dn()));
        Group moving = ad.addGroup("moving", f.groups, List.of(u.get(3).dn()));
        f.sync();
        Map<UUID, GroupRow> before = f.groups();

        // rename child (the parent's member value follows, as AD does), move "moving" into a sub-OU, change members
        ad.moveOrRename(child.dn(), "CN=kid", null);
        ad.replace("CN=kid," + f.groups, "sAMAccountName", "kid");
        ad.replace(parent.dn(), "member", u.get(0).dn(), u.get(3).dn(), "CN=kid," + f.groups);
        ad.moveOrRename(moving.dn(), "CN=moving", "OU=Sub," + f.groups);
        RunResult r = f.sync();

        Map<UUID, GroupRow> after = f.groups();
        assertThat(f.groupStats(r)).containsEntry("updated", 2L).containsEntry("created", 0L)
                .containsEntry("membershipsAdded", 1L).containsEntry("membershipsRemoved", 0L);
        assertThat(after.get(child.guid()).id()).isEqualTo(before.get(child.guid()).id());
        assertThat(after.get(child.guid()).name()).isEqualTo("kid");
        assertThat(after.get(child.guid()).dn()).isEqualTo("CN=kid," + f.groups);
        assertThat(after.get(moving.guid()).id()).isEqualTo(before.get(moving.guid()).id());
        assertThat(after.get(moving.guid()).dn()).isEqualTo("CN=moving,OU=Sub," + f.groups);
        assertThat(f.members(parent.guid())).containsExactlyInAnyOrder("gl0000", "gl0003", "group:kid");
        assertThat(f.members(moving.guid())).containsExactly("gl0003");

        // the child group is deleted: deactivated, no members, and no longer a member of parent
        ad.delete("CN=kid," + f.groups);
        ad.replace(parent.dn(), "member", u.get(0).dn(), u.get(3).dn());
        RunResult deleted = f.sync();

        // kid's two members and its membership in parent
        assertThat(f.groupStats(deleted)).containsEntry("deactivated", 1L).containsEntry("membershipsRemoved", 3L);
        GroupRow kid = f.groups().get(child.guid());
        assertThat(kid.active()).isFalse();
        assertThat(kid.reason()).isEqualTo(GroupSync.REASON_NOT_FOUND);
        assertThat(f.members(child.guid())).isEmpty();
        assertThat(f.members(parent.guid())).containsExactlyInAnyOrder("gl0000", "gl0003");

        // moved out of the group base DN: deactivated too, and its member goes
        ad.moveOrRename("CN=moving,OU=Sub," + f.groups, "CN=moving", f.users);
        RunResult movedOut = f.sync();
        assertThat(f.groupStats(movedOut)).containsEntry("deactivated", 1L).containsEntry("membershipsRemoved", 1L);
        assertThat(f.groups().get(moving.guid()).active()).isFalse();
        assertThat(f.members(moving.guid())).isEmpty();
    }

    @Test
    void aDomainWithoutAGroupBaseDnSyncsNoGroups() throws Exception {
        Fixture f = new Fixture("nogroups");
        f.addUsers("ng", 2);
        ad.addGroup("ignored", f.groups, List.of());
        db.updateDomain(f.domain.id, "group_base_dn", null);
        RunResult r = f.sync();
        assertThat(((List<?>) r.details().get("domains")).getFirst().toString()).doesNotContain("groups=");
        assertThat(f.groups()).isEmpty();
        assertThat(r.stats().created()).isEqualTo(2);
    }

    @Test
    void groupChangesCountInTheRunsCommittedStatsAsGroupsAndAccountCountsKeepTheirMeaning() throws Exception {
        Fixture f = new Fixture("committed");
        List<User> u = f.addUsers("gc", 3);
        for (int i = 0; i < 25; i++) {
            ad.addGroup(String.format("c%02d", i), f.groups, List.of(u.get(i % 3).dn()));
        }
        db.updateDomain(f.domain.id, "page_size", 10);

        // cancelled while reading the second page of groups: the first page's 10 groups are committed, and counted
        RunContext ctx = db.claimedRun(f.job, RunOptions.DEFAULT, List.of(f.domain.id));
        ad.faults().resetCounters();
        ad.faults().onPage = n -> {
            if (n == 3) { // users: page 1, groups: pages 2-4
                ctx.cancel("cancelled by the test");
            }
        };
        RunResult cancelled = executor.execute(ctx);
        db.endRun(ctx);
        ad.faults().reset();
        assertThat(cancelled.errorCategory()).isEqualTo(io.adsync.run.ErrorCategory.CANCELLED);
        RunStats.Groups firstPage = new RunStats.Groups(10, 0, 0, 0, 0, 0, 0, 0);
        assertThat(ctx.committedStats()).isEqualTo(new RunStats(3, 0, 0, 0, 0, 0, firstPage));
        assertThat(cancelled.stats()).isEqualTo(new RunStats(3, 0, 0, 0, 0, 0, firstPage));
        assertThat(f.groups()).hasSize(10);

        // the rest, and every membership: committed stats, the run's stats and details.groups agree
        RunContext again = db.claimedRun(f.job, RunOptions.DEFAULT, List.of(f.domain.id));
        RunResult r = executor.execute(again);
        db.endRun(again);
        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        RunStats.Groups rest = new RunStats.Groups(15, 0, 0, 0, 10, 0, 25, 0);
        assertThat(again.committedStats()).isEqualTo(new RunStats(0, 0, 0, 0, 3, 0, rest));
        assertThat(r.stats()).isEqualTo(new RunStats(0, 0, 0, 0, 3, 0, rest));
        assertThat(f.groupStats(r)).containsEntry("created", 15L).containsEntry("unchanged", 10L)
                .containsEntry("membershipsAdded", 25L).containsEntry("entriesRead", 50L);
        assertThat(io.adsync.run.ledger.RunLedger.json(r.stats())).isEqualTo("{\"created\":0,\"updated\":0,"
                + "\"deactivated\":0,\"reactivated\":0,\"unchanged\":3,\"errors\":0,\"groups\":{\"created\":15,"
                + "\"updated\":0,\"deactivated\":0,\"reactivated\":0,\"unchanged\":10,\"errors\":0,"
                + "\"membershipsAdded\":25,\"membershipsRemoved\":0}}");
        assertThat(io.adsync.common.JsonColumns.MAPPER.readValue(io.adsync.run.ledger.RunLedger.json(r.stats()),
                RunStats.class)).isEqualTo(r.stats());
        assertThat(io.adsync.common.JsonColumns.MAPPER.readValue("{\"created\":1,\"updated\":0,\"deactivated\":0,"
                + "\"reactivated\":0,\"unchanged\":0,\"errors\":0}", RunStats.class)).isEqualTo(new RunStats(1, 0, 0, 0, 0, 0));
        @SuppressWarnings("unchecked")
        Map<String, Object> domain = ((List<Map<String, Object>>) r.details().get("domains")).getFirst();
        assertThat(domain).containsEntry("stats", new RunStats(0, 0, 0, 0, 3, 0)); // accounts only, as before
    }
}
