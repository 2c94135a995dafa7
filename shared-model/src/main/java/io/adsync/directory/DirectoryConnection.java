package io.adsync.directory;

import io.adsync.run.ErrorCategory;
import io.adsync.run.SyncFailure;
import org.apache.directory.api.ldap.extras.controls.ad.AdShowDeleted;
import org.apache.directory.api.ldap.extras.controls.ad.AdShowDeletedImpl;
import org.apache.directory.api.ldap.model.cursor.SearchCursor;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.LdapResult;
import org.apache.directory.api.ldap.model.message.Response;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.message.SearchRequest;
import org.apache.directory.api.ldap.model.message.SearchRequestImpl;
import org.apache.directory.api.ldap.model.message.SearchResultDone;
import org.apache.directory.api.ldap.model.message.SearchResultEntry;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.message.controls.PagedResults;
import org.apache.directory.api.ldap.model.message.extended.SearchNoDResponse;
import org.apache.directory.api.ldap.model.message.controls.PagedResultsImpl;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;

/** An open, bound connection to one domain controller. Close it. */
public final class DirectoryConnection implements AutoCloseable {

    /** Active Directory's LDAP_SERVER_SHOW_DELETED_OID. */
    public static final String SHOW_DELETED_OID = "1.2.840.113556.1.4.417";

    private final LdapNetworkConnection ldap;
    private final HostPort host;
    private final String url;
    private final int readTimeoutSeconds;

    DirectoryConnection(LdapNetworkConnection ldap, HostPort host, String url, int readTimeoutSeconds) {
        this.ldap = ldap;
        this.host = host;
        this.url = url;
        this.readTimeoutSeconds = readTimeoutSeconds;
    }

    public HostPort host() {
        return host;
    }

    /** e.g. {@code ldaps://dc1.corp.example:636} */
    public String url() {
        return url;
    }

    LdapNetworkConnection ldap() {
        return ldap;
    }

    /** Receives a paged search's entries as they arrive, and the end of each page. */
    public interface PageSink {
        void entry(Entry entry) throws Exception;

        /** After the last entry of page {@code page} (1-based). */
        void pageDone(int page, int entriesInPage) throws Exception;
    }

    /**
     * A paged subtree search (RFC 2696 control, marked critical so a server that cannot page fails loudly
     * instead of silently truncating). Entries are handed to {@code sink} one by one; only the page the server
     * is sending is buffered by the library. Completes normally only if every page arrived and the last one
     * ended with success and an empty cookie; anything else throws, so the caller knows the enumeration was
     * incomplete.
     *
     * @throws SyncFailure for directory problems (classified); whatever the sink throws is passed through
     */
    public int pagedSearch(String baseDn, String filter, int pageSize, java.util.List<String> attributes, PageSink sink)
            throws Exception {
        return pagedSearch(baseDn, filter, pageSize, attributes, false, sink);
    }

    /**
     * As {@link #pagedSearch(String, String, int, java.util.List, PageSink)}; with {@code showDeleted}, the search
     * carries AD's Show Deleted control ({@value #SHOW_DELETED_OID}, critical), so it also returns tombstones
     * (deleted objects: {@code isDeleted=TRUE}, moved under CN=Deleted Objects, keeping their objectGUID).
     */
    public int pagedSearch(String baseDn, String filter, int pageSize, java.util.List<String> attributes,
                           boolean showDeleted, PageSink sink) throws Exception {
        Dn base;
        try {
            base = new Dn(baseDn);
        } catch (LdapException e) {
            throw new SyncFailure(ErrorCategory.PROTOCOL, "invalid base DN '" + baseDn + "': " + e.getMessage());
        }
        byte[] cookie = null;
        int page = 0;
        do {
            SearchRequest req = new SearchRequestImpl();
            req.setBase(base);
            try {
                req.setFilter(filter);
            } catch (LdapException e) {
                throw new SyncFailure(ErrorCategory.PROTOCOL, "invalid filter '" + filter + "': " + e.getMessage());
            }
            req.setScope(SearchScope.SUBTREE);
            req.setDerefAliases(AliasDerefMode.NEVER_DEREF_ALIASES);
            req.setSizeLimit(0);
            req.setTimeLimit(0);
            req.addAttributes(attributes.toArray(String[]::new));
            PagedResults paged = new PagedResultsImpl();
            paged.setSize(pageSize);
            paged.setCookie(cookie);
            paged.setCritical(true);
            req.addControl(paged);
            if (showDeleted) {
                AdShowDeleted show = new AdShowDeletedImpl();
                show.setCritical(true);
                req.addControl(show);
            }
            page++;
            int inPage = 0;
            SearchResultDone done;
            SearchCursor cursor = null;
            try {
                cursor = ldap.search(req);
                while (cursor.next()) {
                    Response r = cursor.get();
                    if (r instanceof SearchResultEntry e) {
                        inPage++;
                        try {
                            sink.entry(e.getEntry());
                        } catch (Exception fromSink) {
                            throw new SinkException(fromSink);
                        }
                    }
                    // search result references (referrals to other partitions) are not followed
                }
                done = cursor.getSearchResultDone();
            } catch (SinkException e) {
                throw (Exception) e.getCause();
            } catch (Exception e) {
                throw failure(e, url + ": page " + page + " of the search");
            } finally {
                closeCursor(cursor);
            }
            if (done == null) {
                // the cursor ended without a SearchResultDone: the connection was closed or the response lost
                throw new SyncFailure(ldap.isConnected() ? ErrorCategory.PROTOCOL : ErrorCategory.UNREACHABLE,
                        url + ": page " + page + " of the search ended without a result"
                                + (ldap.isConnected() ? "" : " (connection lost)"));
            }
            if (done instanceof SearchNoDResponse) {
                // The library answers a pending search with this when the connection closes (the DC went away, or
                // sent a notice of disconnection): whatever its result code says, the DC is gone.
                throw new SyncFailure(ErrorCategory.UNREACHABLE, url + ": the connection was closed during page " + page
                        + " of the search (the domain controller went away or disconnected us)");
            }
            LdapResult result = done.getLdapResult();
            if (result.getResultCode() != ResultCodeEnum.SUCCESS) {
                String diag = result.getDiagnosticMessage();
                throw new SyncFailure(DirectoryErrors.category(result.getResultCode()), url + ": page " + page
                        + " of the search under '" + baseDn + "' failed: " + result.getResultCode().getMessage()
                        + " (" + result.getResultCode().getResultCode() + ")"
                        + (diag == null || diag.isBlank() ? "" : ": " + diag.strip()));
            }
            PagedResults response = (PagedResults) done.getControl(PagedResults.OID);
            cookie = response == null ? null : response.getCookie();
            sink.pageDone(page, inPage);
        } while (cookie != null && cookie.length > 0);
        return page;
    }

    /**
     * One entry, read with a base-scope search for {@code attributes}; null if there is no such entry.
     *
     * @throws SyncFailure for directory problems (classified)
     */
    public Entry readEntry(String dn, java.util.List<String> attributes) throws SyncFailure {
        SearchCursor cursor = null;
        try {
            SearchRequest req = new SearchRequestImpl();
            req.setBase(new Dn(dn));
            req.setFilter("(objectClass=*)");
            req.setScope(SearchScope.OBJECT);
            req.setDerefAliases(AliasDerefMode.NEVER_DEREF_ALIASES);
            req.addAttributes(attributes.toArray(String[]::new));
            cursor = ldap.search(req);
            Entry found = null;
            while (cursor.next()) {
                if (cursor.get() instanceof SearchResultEntry e) {
                    found = e.getEntry();
                }
            }
            SearchResultDone done = cursor.getSearchResultDone();
            if (done == null || done instanceof SearchNoDResponse) {
                throw new SyncFailure(ErrorCategory.UNREACHABLE, url + ": reading " + dn + " ended without a result"
                        + (ldap.isConnected() ? "" : " (connection lost)"));
            }
            ResultCodeEnum code = done.getLdapResult().getResultCode();
            if (code == ResultCodeEnum.NO_SUCH_OBJECT) {
                return null;
            }
            if (code != ResultCodeEnum.SUCCESS) {
                String diag = done.getLdapResult().getDiagnosticMessage();
                throw new SyncFailure(DirectoryErrors.category(code), url + ": reading " + dn + " failed: " + code.getMessage()
                        + " (" + code.getResultCode() + ")" + (diag == null || diag.isBlank() ? "" : ": " + diag.strip()));
            }
            return found;
        } catch (SyncFailure f) {
            throw f;
        } catch (LdapException e) {
            if (e instanceof org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException) {
                return null;
            }
            throw failure(e, url + ": reading " + dn);
        } catch (Exception e) {
            throw failure(e, url + ": reading " + dn);
        } finally {
            closeCursor(cursor);
        }
    }

    /** Whether an entry exists at {@code dn} (a base-scope search for it). */
    public boolean exists(String dn) throws LdapException {
        try {
            return ldap.exists(new Dn(dn));
        } catch (org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException e) {
            return false;
        }
    }

    private SyncFailure failure(Exception e, String context) {
        DirectoryErrors.Classified c = DirectoryErrors.classify(e, context, null);
        ErrorCategory category = c.category();
        boolean vague = category == ErrorCategory.PROTOCOL || category == ErrorCategory.INTERNAL
                || category == ErrorCategory.TLS && !hasCertificateCause(e);
        if (vague && !ldap.isConnected()) {
            // TLS was negotiated and the bind succeeded before the first page: an unspecific failure that left the
            // connection closed is a lost domain controller
            category = ErrorCategory.UNREACHABLE;
        }
        if (category == ErrorCategory.TIMEOUT && !ldap.isConnected() && c.message().contains("checkSecured")) {
            // the library checks the (long finished) TLS handshake before sending each request; when the DC has just
            // closed the connection that check fails at once, and the library calls it a timeout
            category = ErrorCategory.UNREACHABLE;
        }
        String msg = c.message();
        if (category == ErrorCategory.TIMEOUT && !msg.contains("read timeout")) {
            msg = msg + " (read timeout " + readTimeoutSeconds + "s)";
        }
        return new SyncFailure(category, msg, e);
    }

    private static boolean hasCertificateCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** Carries what the sink threw past the catch that classifies directory errors. */
    private static final class SinkException extends Exception {
        SinkException(Exception cause) {
            super(cause);
        }
    }

    private static void closeCursor(SearchCursor cursor) {
        if (cursor != null) {
            try {
                cursor.close();
            } catch (Exception ignored) {
                // closing an unfinished cursor abandons the search; a dead connection makes that fail: harmless
            }
        }
    }

    @Override
    public void close() {
        DirectoryConnector.closeQuietly(ldap);
    }
}
