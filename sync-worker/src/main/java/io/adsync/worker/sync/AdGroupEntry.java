package io.adsync.worker.sync;

import io.adsync.directory.AdAttributes;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;

import java.util.List;
import java.util.UUID;

/**
 * One directory group as it will be stored. Its members are read separately ({@link GroupSync}).
 *
 * @param name cn, or sAMAccountName when there is no cn
 */
public record AdGroupEntry(UUID objectGuid, String name, String samAccountName, String distinguishedName,
                           String description) implements EntryWriter.Keyed {

    static final String CN = "cn";
    static final String DESCRIPTION = "description";
    static final String MEMBER = "member";

    /** The attributes a group search asks for (not member: that is read with range retrieval, group by group). */
    static final List<String> REQUESTED = List.of(AdAttributes.OBJECT_GUID, CN, AdAttributes.SAM_ACCOUNT_NAME,
            AdAttributes.DISTINGUISHED_NAME, DESCRIPTION);

    static AdGroupEntry from(Entry e) throws AdUser.InvalidEntry {
        UUID guid = AdUser.guidOf(e);
        String dn = string(e, AdAttributes.DISTINGUISHED_NAME);
        if (dn == null && e.getDn() != null) {
            dn = e.getDn().getName();
        }
        String cn = string(e, CN);
        String sam = string(e, AdAttributes.SAM_ACCOUNT_NAME);
        return new AdGroupEntry(guid, cn != null ? cn : sam, sam, dn, string(e, DESCRIPTION));
    }

    private static String string(Entry e, String name) {
        Attribute a = e.get(name);
        if (a == null || a.get() == null) {
            return null;
        }
        String s = a.get().getString();
        return s != null ? s : new String(a.get().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
