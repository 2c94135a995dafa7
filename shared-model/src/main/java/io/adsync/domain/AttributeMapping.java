package io.adsync.domain;

import io.adsync.common.Violation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One directory attribute a domain's sync copies into its accounts' {@code attributes}: {@code source} (the AD
 * attribute's LDAP display name) as {@code target}, converted by {@code type}.
 * <p>
 * {@link #DEFAULTS} is the one definition of what a new domain maps; a domain row whose mappings are NULL (created
 * before mappings existed) maps them too ({@link #effective}).
 */
public record AttributeMapping(String source, String target, AttributeType type) {

    /** The target of the mapping that links an account to its manager's account. */
    public static final String MANAGER = "manager";

    public static final int MAX_MAPPINGS = 64;

    public static final Pattern TARGET = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,63}");

    /** An LDAP attribute description without options: a descr (RFC 4512 keystring) or a numeric OID. */
    public static final Pattern SOURCE = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]{0,127}|[0-2](\\.(0|[1-9][0-9]*)){1,63}");

    /** The account's own fields, which a target may not shadow (compared case-insensitively). */
    public static final Set<String> BUILT_IN = Set.of("id", "domainid", "objectguid", "username", "userprincipalname",
            "email", "displayname", "givenname", "surname", "distinguishedname", "useraccountcontrol", "accountexpires",
            "active", "deactivationreason", "lastsyncedat", "createdat", "updatedat", "version", "managerid", "attributes");

    /** What a new domain maps. */
    public static final List<AttributeMapping> DEFAULTS = List.of(
            new AttributeMapping("department", "department", AttributeType.STRING),
            new AttributeMapping("title", "title", AttributeType.STRING),
            new AttributeMapping("company", "company", AttributeType.STRING),
            new AttributeMapping("employeeID", "employeeId", AttributeType.STRING),
            new AttributeMapping("telephoneNumber", "telephoneNumber", AttributeType.STRING),
            new AttributeMapping("mobile", "mobile", AttributeType.STRING),
            new AttributeMapping("physicalDeliveryOfficeName", "office", AttributeType.STRING),
            new AttributeMapping("manager", MANAGER, AttributeType.DN_REFERENCE));

    /** A domain's mappings: as stored, or {@link #DEFAULTS} for a row that has none stored (NULL). */
    public static List<AttributeMapping> effective(List<AttributeMapping> stored) {
        return stored == null ? DEFAULTS : stored;
    }

    /** The mapping that links accounts to their manager, if any: target {@value #MANAGER}, type DN_REFERENCE. */
    public static AttributeMapping managerOf(List<AttributeMapping> mappings) {
        for (AttributeMapping m : mappings) {
            if (MANAGER.equals(m.target()) && m.type() == AttributeType.DN_REFERENCE) {
                return m;
            }
        }
        return null;
    }

    /**
     * Every problem of a list of mappings, each naming its field as {@code <prefix>[i].source} etc. An empty list
     * is valid (no mappings).
     */
    public static List<Violation> validate(List<AttributeMapping> mappings, String prefix) {
        List<Violation> v = new ArrayList<>();
        if (mappings == null) {
            return v;
        }
        if (mappings.size() > MAX_MAPPINGS) {
            v.add(new Violation(prefix, "at most " + MAX_MAPPINGS + " mappings, not " + mappings.size()));
            return v;
        }
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < mappings.size(); i++) {
            String at = prefix + "[" + i + "]";
            AttributeMapping m = mappings.get(i);
            if (m == null) {
                v.add(new Violation(at, "must not be null"));
                continue;
            }
            if (m.source() == null || m.source().isBlank()) {
                v.add(new Violation(at + ".source", "must not be blank"));
            } else if (!SOURCE.matcher(m.source()).matches()) {
                v.add(new Violation(at + ".source", "must be an LDAP attribute name (letters, digits and hyphens, "
                        + "starting with a letter, at most 128 characters) or a numeric OID, without options; not '"
                        + m.source() + "'"));
            }
            if (m.target() == null || m.target().isBlank()) {
                v.add(new Violation(at + ".target", "must not be blank"));
            } else if (!TARGET.matcher(m.target()).matches()) {
                v.add(new Violation(at + ".target", "must match [a-zA-Z][a-zA-Z0-9_]{0,63}, not '" + m.target() + "'"));
            } else if (BUILT_IN.contains(m.target().toLowerCase(Locale.ROOT))) {
                v.add(new Violation(at + ".target", "'" + m.target() + "' is a built-in field of an account and cannot be "
                        + "used as a target"));
            } else if (!targets.add(m.target().toLowerCase(Locale.ROOT))) {
                v.add(new Violation(at + ".target", "'" + m.target() + "' is the target of an earlier mapping: targets must be unique (ignoring case)"));
            } else if (MANAGER.equals(m.target()) && m.type() != null && m.type() != AttributeType.DN_REFERENCE) {
                v.add(new Violation(at + ".type", "the target 'manager' links accounts to their manager and must be of type "
                        + "DN_REFERENCE"));
            }
            if (m.type() == null) {
                v.add(new Violation(at + ".type", "must not be null"));
            }
        }
        return v;
    }
}
