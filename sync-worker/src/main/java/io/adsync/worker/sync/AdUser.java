package io.adsync.worker.sync;

import io.adsync.directory.AdAttributes;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapInvalidAttributeValueException;

import io.adsync.domain.AttributeMapping;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One directory user as it will be stored: the mapped attributes, and the local state derived from them.
 *
 * @param active             {@code (userAccountControl & ACCOUNTDISABLE) == 0} and not expired at sync time
 * @param deactivationReason why not active (null when active)
 * @param attributes         the domain's mapped attributes ({@link MappedAttributes})
 * @param incomplete         mappings whose values came in ranges and are still to be read ({@link #complete})
 */
public record AdUser(UUID objectGuid, String username, String userPrincipalName, String email, String displayName,
                     String givenName, String surname, String distinguishedName, Integer userAccountControl,
                     Long accountExpires, boolean active, String deactivationReason, Map<String, Object> attributes,
                     List<AttributeMapping> incomplete)
        implements EntryWriter.Keyed {

    public static final String REASON_DISABLED = "disabled in the directory (userAccountControl has ACCOUNTDISABLE)";
    public static final String REASON_EXPIRED_PREFIX = "expired in the directory (accountExpires ";

    /** An entry that cannot be stored. {@code objectGuid} is set when it could be read (the entry was seen). */
    public static final class InvalidEntry extends Exception {
        private final UUID objectGuid;

        InvalidEntry(String message, UUID objectGuid) {
            super(message);
            this.objectGuid = objectGuid;
        }

        public UUID objectGuid() {
            return objectGuid;
        }
    }

    /** The objectGUID of an entry, or an {@link InvalidEntry} if it has none or a malformed one. */
    public static UUID guidOf(Entry e) throws InvalidEntry {
        Attribute a = e.get(AdAttributes.OBJECT_GUID);
        if (a == null || a.get() == null) {
            throw new InvalidEntry(e.getDn() + ": no objectGUID", null);
        }
        byte[] bytes = a.get().getBytes();
        try {
            return AdAttributes.guidToUuid(bytes);
        } catch (IllegalArgumentException ex) {
            throw new InvalidEntry(e.getDn() + ": " + ex.getMessage(), null);
        }
    }

    /**
     * Maps an entry; {@code now} decides whether accountExpires has passed.
     *
     * @throws InvalidEntry when the entry cannot be stored (no/malformed objectGUID, non-numeric UAC/accountExpires)
     */
    public static AdUser from(Entry e, Instant now, MappedAttributes mapped) throws InvalidEntry {
        UUID guid = guidOf(e);
        Integer uac;
        Long expires;
        try {
            String u = string(e, AdAttributes.USER_ACCOUNT_CONTROL);
            uac = u == null ? null : (int) Long.parseLong(u.trim());
            String x = string(e, AdAttributes.ACCOUNT_EXPIRES);
            expires = x == null ? null : Long.parseLong(x.trim());
        } catch (NumberFormatException ex) {
            throw new InvalidEntry(e.getDn() + ": non-numeric userAccountControl or accountExpires", guid);
        }
        String dn = string(e, AdAttributes.DISTINGUISHED_NAME);
        if (dn == null && e.getDn() != null) {
            dn = e.getDn().getName();
        }
        MappedAttributes.Values m = mapped.map(e, dn);
        String reason = null;
        if (AdAttributes.isDisabled(uac)) {
            reason = REASON_DISABLED;
        } else if (AdAttributes.isExpired(expires, now)) {
            reason = REASON_EXPIRED_PREFIX + AdAttributes.fromFileTime(expires) + ")";
        }
        return new AdUser(guid, string(e, AdAttributes.SAM_ACCOUNT_NAME), string(e, AdAttributes.USER_PRINCIPAL_NAME),
                string(e, AdAttributes.MAIL), string(e, AdAttributes.DISPLAY_NAME), string(e, AdAttributes.GIVEN_NAME),
                string(e, AdAttributes.SURNAME), dn, uac, expires, reason == null, reason, m.values(), m.incomplete());
    }

    /** With every value of its {@link #incomplete} mappings read. */
    AdUser complete(MappedAttributes mapped) throws Exception {
        if (incomplete.isEmpty()) {
            return this;
        }
        Map<String, Object> all = new java.util.LinkedHashMap<>(attributes);
        mapped.complete(distinguishedName, all, incomplete);
        return new AdUser(objectGuid, username, userPrincipalName, email, displayName, givenName, surname, distinguishedName,
                userAccountControl, accountExpires, active, deactivationReason, all, List.of());
    }

    private static String string(Entry e, String name) {
        Attribute a = e.get(name);
        if (a == null || a.get() == null) {
            return null;
        }
        try {
            return a.getString();
        } catch (LdapInvalidAttributeValueException ex) {
            // a value the library kept as binary: AD strings are UTF-8
            return new String(a.get().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
