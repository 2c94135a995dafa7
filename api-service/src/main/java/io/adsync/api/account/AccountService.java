package io.adsync.api.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.adsync.account.Account;
import io.adsync.api.common.ApiErrors;
import io.adsync.api.common.Filter;
import io.adsync.api.common.Page;
import io.adsync.common.JsonColumns;
import io.adsync.domain.AttributeMapping;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reads accounts (the worker writes them): the list with its filters, and an account's reports. */
@ApplicationScoped
public class AccountService {

    /** The query parameters that filter by a mapped attribute: {@code attr.<target>=<value>}. */
    public static final String ATTR_PREFIX = "attr.";
    static final int MAX_ATTR_FILTERS = 8;
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

    /**
     * An account's reports: direct ({@code manager_id} is the account), or transitive (theirs, and so on). The
     * recursion uses {@code UNION} over ids, so an account already reached is not followed again and a cycle of
     * managers ends; the account itself is never its own report.
     */
    private static final String DIRECT = """
            WITH reach(id) AS (SELECT id FROM account WHERE manager_id = :accountId)
            """;
    private static final String TRANSITIVE = """
            WITH RECURSIVE reach(id) AS (
                SELECT id FROM account WHERE manager_id = :accountId
                UNION
                SELECT a.id FROM account a JOIN reach r ON a.manager_id = r.id
            )
            """;
    private static final String PAGE = """
            SELECT a.* FROM account a WHERE a.id IN (SELECT id FROM reach) AND a.id <> :accountId
             ORDER BY lower(a.username), a.id
             LIMIT :limit OFFSET :offset
            """;
    private static final String COUNT = "SELECT count(*) FROM reach WHERE id <> :accountId";

    private final EntityManager em;

    public AccountService(EntityManager em) {
        this.em = em;
    }

    public Page<AccountResponse> list(UUID domainId, Boolean active, String q, Map<String, String> attributes, int page, int size) {
        Filter filter = new Filter().equal("domainId", domainId).equal("active", active)
                .containsIgnoreCase(q, "username", "email", "displayName");
        int i = 0;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            Map<String, Object> params = candidates(e.getKey(), e.getValue());
            filter.clause(containment(i++, params.size()), params);
        }
        Sort sort = Sort.by("username").and("id");
        return Page.of(Account.<Account>find(filter.query(), sort, filter.params()), page, size, AccountResponse::of);
    }

    /**
     * The {@code attr.<target>=<value>} parameters of a request, checked: each target a valid mapping target, each
     * given once, at most {@value #MAX_ATTR_FILTERS}.
     */
    public static Map<String, String> attributeFilters(Map<String, List<String>> query) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (!e.getKey().startsWith(ATTR_PREFIX)) {
                continue;
            }
            String target = e.getKey().substring(ATTR_PREFIX.length());
            if (!AttributeMapping.TARGET.matcher(target).matches()) {
                throw ApiErrors.invalidQuery(e.getKey(), "the attribute must be a mapping target matching [a-zA-Z][a-zA-Z0-9_]{0,63}");
            }
            if (e.getValue().size() != 1) {
                throw ApiErrors.invalidQuery(e.getKey(), "give each attribute filter once");
            }
            if (e.getValue().getFirst().length() > 1024) {
                throw ApiErrors.invalidQuery(e.getKey(), "the value must be at most 1024 characters");
            }
            filters.put(target, e.getValue().getFirst());
        }
        if (filters.size() > MAX_ATTR_FILTERS) {
            throw ApiErrors.invalidQuery(ATTR_PREFIX + "*", "at most " + MAX_ATTR_FILTERS + " attribute filters");
        }
        return filters;
    }

    /**
     * An exact match of one mapped attribute, as jsonb containment so that the GIN index
     * {@code account_attributes_idx} (jsonb_path_ops) answers it: {@code attributes @> {"t": "v"}}, or a list
     * (STRINGS) containing "v", or, when the value reads as one, the number or boolean.
     */
    private static String containment(int i, int n) {
        StringBuilder sb = new StringBuilder("(");
        for (int k = 0; k < n; k++) {
            sb.append(k == 0 ? "" : " or ").append("cast(sql('(? @> cast(? as jsonb))', attributes, :attr").append(i).append('_').append(k).append(") as Boolean)");
        }
        return sb.append(')').toString();
    }

    private static Map<String, Object> candidates(String target, String value) {
        List<Object> as = new ArrayList<>();
        as.add(value);
        as.add(List.of(value));
        if (NUMBER.matcher(value).matches()) {
            as.add(Long.parseLong(value));
        }
        if (value.equals("true") || value.equals("false")) {
            as.add(Boolean.valueOf(value));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (int k = 0; k < as.size(); k++) {
            try {
                params.put(String.valueOf(k), JsonColumns.MAPPER.writeValueAsString(Map.of(target, as.get(k))));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return params;
    }

    public Page<AccountResponse> reports(UUID accountId, boolean transitive, int page, int size) {
        if (Account.findById(accountId) == null) {
            throw ApiErrors.notFound("account", accountId);
        }
        String with = transitive ? TRANSITIVE : DIRECT;
        @SuppressWarnings("unchecked")
        List<Account> rows = em.createNativeQuery(with + PAGE, Account.class)
                .setParameter("accountId", accountId).setParameter("limit", size).setParameter("offset", (long) page * size)
                .getResultList();
        long total = ((Number) em.createNativeQuery(with + COUNT).setParameter("accountId", accountId).getSingleResult()).longValue();
        return new Page<>(rows.stream().map(AccountResponse::of).toList(), page, size, total);
    }
}
