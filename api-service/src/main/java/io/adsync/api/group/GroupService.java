package io.adsync.api.group;

import io.adsync.api.common.Filter;
import io.adsync.account.Account;
import io.adsync.api.common.ApiErrors;
import io.adsync.api.common.Page;
import io.adsync.group.AdGroup;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.util.List;
import java.util.UUID;

/** Reads groups and memberships (the worker writes them). */
@ApplicationScoped
public class GroupService {

    private final EntityManager em;

    public GroupService(EntityManager em) {
        this.em = em;
    }

    public Page<GroupResponse> list(UUID domainId, Boolean active, String q, int page, int size) {
        Filter filter = new Filter().equal("domainId", domainId).equal("active", active)
                .containsIgnoreCase(q, "name", "samAccountName", "description");
        Sort sort = Sort.by("name").and("id");
        return Page.of(AdGroup.<AdGroup>find(filter.query(), sort, filter.params()), page, size, GroupResponse::of);
    }

    public GroupResponse get(UUID id) {
        return GroupResponse.of(find(id));
    }

    public Page<GroupMemberResponse> members(UUID groupId, boolean effective, int page, int size) {
        find(groupId);
        Query q = em.createNativeQuery(effective ? GroupQueries.EFFECTIVE_MEMBERS : GroupQueries.DIRECT_MEMBERS)
                .setParameter("groupId", groupId).setParameter("limit", size).setParameter("offset", (long) page * size);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        List<GroupMemberResponse> items = rows.stream().map(r -> new GroupMemberResponse((String) r[0], (UUID) r[1],
                (String) r[2], (String) r[3], (String) r[4], (Boolean) r[5])).toList();
        long total = ((Number) em.createNativeQuery(effective ? GroupQueries.EFFECTIVE_MEMBER_COUNT : GroupQueries.DIRECT_MEMBER_COUNT)
                .setParameter("groupId", groupId).getSingleResult()).longValue();
        return new Page<>(items, page, size, total);
    }

    public Page<GroupResponse> groupsOfAccount(UUID accountId, boolean effective, int page, int size) {
        if (Account.findById(accountId) == null) {
            throw ApiErrors.notFound("account", accountId);
        }
        @SuppressWarnings("unchecked")
        List<AdGroup> rows = em.createNativeQuery(GroupQueries.accountGroups(effective), AdGroup.class)
                .setParameter("accountId", accountId).setParameter("limit", size).setParameter("offset", (long) page * size)
                .getResultList();
        long total = ((Number) em.createNativeQuery(GroupQueries.accountGroupCount(effective))
                .setParameter("accountId", accountId).getSingleResult()).longValue();
        return new Page<>(rows.stream().map(GroupResponse::of).toList(), page, size, total);
    }

    private static AdGroup find(UUID id) {
        AdGroup g = AdGroup.findById(id);
        if (g == null) {
            throw ApiErrors.notFound("group", id);
        }
        return g;
    }
}
