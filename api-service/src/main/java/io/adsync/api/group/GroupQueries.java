package io.adsync.api.group;

/**
 * The SQL behind the group endpoints, in one place. Direct memberships are stored as the directory states them
 * ({@code group_membership}: accounts, {@code group_nesting}: groups in groups, both written by the worker);
 * effective (transitive) memberships are computed here with recursive queries. They use {@code UNION}, not
 * {@code UNION ALL}: a group already reached is not added again, so nested groups that form a cycle end.
 */
final class GroupQueries {

    private GroupQueries() {
    }

    /** A group's direct members: its accounts, then its nested groups; each sorted by name. */
    static final String DIRECT_MEMBERS = """
            SELECT * FROM (
                SELECT 'ACCOUNT' AS type, a.id, a.username AS name, a.display_name, a.distinguished_name, a.active
                  FROM group_membership m JOIN account a ON a.id = m.account_id
                 WHERE m.group_id = :groupId
                UNION ALL
                SELECT 'GROUP', g.id, g.name, NULL, g.distinguished_name, g.active
                  FROM group_nesting n JOIN ad_group g ON g.id = n.member_group_id
                 WHERE n.group_id = :groupId
            ) members
            ORDER BY type, lower(name), id
            LIMIT :limit OFFSET :offset
            """;

    static final String DIRECT_MEMBER_COUNT = """
            SELECT (SELECT count(*) FROM group_membership WHERE group_id = :groupId)
                 + (SELECT count(*) FROM group_nesting WHERE group_id = :groupId)
            """;

    /** The groups reachable from :groupId downwards (itself, its nested groups, theirs, ...). */
    private static final String DOWN = """
            WITH RECURSIVE reach(group_id) AS (
                SELECT CAST(:groupId AS uuid)
                UNION
                SELECT n.member_group_id FROM group_nesting n JOIN reach r ON n.group_id = r.group_id
            )
            """;

    /** A group's effective members: every account that is a member of it or of any group nested in it, once. */
    static final String EFFECTIVE_MEMBERS = DOWN + """
            SELECT 'ACCOUNT' AS type, a.id, a.username AS name, a.display_name, a.distinguished_name, a.active
              FROM account a
             WHERE a.id IN (SELECT m.account_id FROM group_membership m JOIN reach r ON r.group_id = m.group_id)
             ORDER BY lower(a.username), a.id
             LIMIT :limit OFFSET :offset
            """;

    static final String EFFECTIVE_MEMBER_COUNT = DOWN + """
            SELECT count(DISTINCT m.account_id) FROM group_membership m JOIN reach r ON r.group_id = m.group_id
            """;

    /** The groups an account is a direct member of. */
    private static final String ACCOUNT_DIRECT = """
            WITH reach(group_id) AS (SELECT group_id FROM group_membership WHERE account_id = :accountId)
            """;

    /** The groups an account is a member of directly or through nesting (upwards from its direct groups). */
    private static final String ACCOUNT_EFFECTIVE = """
            WITH RECURSIVE reach(group_id) AS (
                SELECT group_id FROM group_membership WHERE account_id = :accountId
                UNION
                SELECT n.group_id FROM group_nesting n JOIN reach r ON n.member_group_id = r.group_id
            )
            """;

    private static final String GROUPS_OF_REACH = """
            SELECT g.* FROM ad_group g WHERE g.id IN (SELECT group_id FROM reach)
             ORDER BY lower(g.name), g.id
             LIMIT :limit OFFSET :offset
            """;

    private static final String COUNT_OF_REACH = "SELECT count(*) FROM reach";

    static String accountGroups(boolean effective) {
        return (effective ? ACCOUNT_EFFECTIVE : ACCOUNT_DIRECT) + GROUPS_OF_REACH;
    }

    static String accountGroupCount(boolean effective) {
        return (effective ? ACCOUNT_EFFECTIVE : ACCOUNT_DIRECT) + COUNT_OF_REACH;
    }
}
