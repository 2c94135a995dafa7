package io.adsync.directory;

import io.adsync.run.ErrorCategory;
import io.adsync.run.SyncFailure;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.name.Dn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a domain controller says about itself, read before a sync's searches start: the basis of an incremental
 * sync's watermark.
 * <ul>
 *   <li>{@code highestCommittedUSN} (rootDSE): the highest update sequence number this DC has committed. Every
 *       object this DC changes (or receives by replication) afterwards gets a larger {@code uSNChanged}, so a
 *       later search for {@code (uSNChanged>=highestCommittedUSN+1)} on the same DC finds everything that
 *       changed since this read.</li>
 *   <li>{@code dsServiceName} (rootDSE): the DN of the DC's NTDS Settings object, and that object's
 *       {@code invocationId}: the identity of the DC's database. It changes when the DC is restored from a
 *       backup, after which its USNs may be reused and a watermark of the old database proves nothing.</li>
 *   <li>{@code defaultNamingContext} and {@code namingContexts}: where to look for objects that left a sync's
 *       scope (see {@link #namingContextOf}).</li>
 * </ul>
 * A directory that publishes none of this (not Active Directory) can only be synced in full; {@link #unusable}
 * says why.
 */
public record DcState(String dsServiceName, UUID invocationId, Long highestCommittedUsn, String defaultNamingContext,
                      List<String> namingContexts) {

    static final String HIGHEST_COMMITTED_USN = "highestCommittedUSN";
    static final String DS_SERVICE_NAME = "dsServiceName";
    static final String INVOCATION_ID = "invocationId";

    /** Reads the rootDSE and, if it names one, the NTDS Settings object's invocationId. */
    public static DcState read(DirectoryConnection c) throws SyncFailure {
        Entry root;
        try {
            root = c.ldap().getRootDse(HIGHEST_COMMITTED_USN, DS_SERVICE_NAME, "defaultNamingContext", "namingContexts");
        } catch (Exception e) {
            throw new SyncFailure(DirectoryErrors.category(e), c.url() + ": reading the rootDSE failed: " + DirectoryErrors.describe(e), e);
        }
        if (root == null) {
            return new DcState(null, null, null, null, List.of());
        }
        String service = string(root.get(DS_SERVICE_NAME));
        Long usn = null;
        String usnText = string(root.get(HIGHEST_COMMITTED_USN));
        if (usnText != null) {
            try {
                usn = Long.parseLong(usnText.trim());
            } catch (NumberFormatException e) {
                usn = null;
            }
        }
        UUID invocation = null;
        if (service != null) {
            try {
                Entry ntds = c.ldap().lookup(new Dn(service), INVOCATION_ID);
                Attribute a = ntds == null ? null : ntds.get(INVOCATION_ID);
                if (a != null && a.get() != null && a.get().getBytes() != null && a.get().getBytes().length == 16) {
                    invocation = AdAttributes.guidToUuid(a.get().getBytes());
                }
            } catch (Exception e) {
                throw new SyncFailure(DirectoryErrors.category(e), c.url() + ": reading the invocationId of " + service
                        + " failed: " + DirectoryErrors.describe(e), e);
            }
        }
        List<String> contexts = new ArrayList<>();
        Attribute nc = root.get("namingContexts");
        if (nc != null) {
            for (Value v : nc) {
                if (v.getString() != null) {
                    contexts.add(v.getString());
                }
            }
        }
        return new DcState(service, invocation, usn, string(root.get("defaultNamingContext")), List.copyOf(contexts));
    }

    /** Why this DC cannot give a watermark (so every sync must be full), or empty if it can. */
    public Optional<String> unusable() {
        List<String> missing = new ArrayList<>();
        if (highestCommittedUsn == null) {
            missing.add(HIGHEST_COMMITTED_USN);
        }
        if (dsServiceName == null) {
            missing.add(DS_SERVICE_NAME);
        } else if (invocationId == null) {
            missing.add("the invocationId of " + dsServiceName);
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("the directory server does not publish " + String.join(", ", missing)
                + " (not Active Directory?), so changes cannot be tracked");
    }

    /**
     * The naming context (partition) that holds {@code baseDn}: the longest of {@code namingContexts} that is
     * {@code baseDn} or one of its ancestors, else {@code defaultNamingContext}, else the base DN itself.
     */
    public String namingContextOf(String baseDn) {
        String best = null;
        int bestSize = -1;
        try {
            Dn base = new Dn(baseDn.toLowerCase(java.util.Locale.ROOT)); // AD compares DNs case-insensitively
            for (String nc : namingContexts) {
                Dn d = new Dn(nc.toLowerCase(java.util.Locale.ROOT));
                if ((base.equals(d) || base.isDescendantOf(d)) && d.size() > bestSize) {
                    best = nc;
                    bestSize = d.size();
                }
            }
        } catch (Exception e) {
            best = null;
        }
        if (best != null) {
            return best;
        }
        return defaultNamingContext != null ? defaultNamingContext : baseDn;
    }

    private static String string(Attribute a) {
        try {
            return a == null || a.get() == null ? null : a.getString();
        } catch (Exception e) {
            return null;
        }
    }
}
