package io.adsync.worker.sync;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchReference;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import io.adsync.directory.AdAttributes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Active-Directory-shaped in-memory LDAP server (UnboundID) on 127.0.0.1, for the engine tests: schema
 * checking off (so AD attributes and a binary objectGUID are accepted), the paged results control, a plain
 * listener that also offers StartTLS, an LDAPS listener (certificate of {@code tls/server.p12}: issued by
 * {@code tls/ca.pem} for DNS:ldap.corp.test and IP:127.0.0.1), UPN binds, and fault injection (a page that
 * fails, a connection dropped in the middle of a page, slow answers). Ports are fixed at construction, so a
 * stopped server restarts on the same ports.
 */
public final class InMemoryAd implements AutoCloseable {

    public static final String BASE = "DC=corp,DC=test";
    public static final String SYNC_BASE = "OU=adsync," + BASE;
    static final String USERS = "OU=Users," + SYNC_BASE;
    static final String MOVED = "OU=Moved," + SYNC_BASE;
    static final String OUTSIDE = "OU=Outside," + BASE;
    public static final String BIND_DN = "CN=svc-adsync,OU=Service," + BASE;
    public static final String BIND_UPN = "svc-adsync@corp.test";
    public static final String BIND_PASSWORD = "Corr3ct-H0rse!Battery";
    public static final String FILTER = "(&(objectClass=user)(objectCategory=person))";

    /** AD-mode only: the DC's NTDS Settings object (dsServiceName) with its invocationId. */
    static final String NTDS_SETTINGS = "CN=NTDS Settings,CN=DC1,CN=Sites," + BASE;
    static final String DELETED_OBJECTS = "CN=Deleted Objects," + BASE;
    static final String SHOW_DELETED_OID = "1.2.840.113556.1.4.417";

    private final InMemoryDirectoryServer server;
    private final boolean adMode;
    /** The update sequence number: uSNChanged of every add/change/move/delete made through this class. Seven
     * digits, because without a schema the server compares (uSNChanged>=N) as strings. */
    private final java.util.concurrent.atomic.AtomicLong usn = new java.util.concurrent.atomic.AtomicLong(1_000_000);
    private volatile UUID invocationId = UUID.randomUUID();
    private final int ldapPort;
    private final int ldapsPort;
    private final Faults faults = new Faults();

    public InMemoryAd() throws Exception {
        this(false);
    }

    /**
     * @param adMode behave like an AD DC for incremental sync: the rootDSE publishes highestCommittedUSN,
     *               dsServiceName (an NTDS Settings object with an invocationId), defaultNamingContext and
     *               namingContexts; {@link #delete} leaves a tombstone under CN=Deleted Objects that only searches
     *               with the Show Deleted control see. (Every change made through this class sets uSNChanged.)
     */
    public InMemoryAd(boolean adMode) throws Exception {
        this.adMode = adMode;
        ldapPort = freePort();
        ldapsPort = freePort();
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(BASE);
        cfg.setSchema(null);
        cfg.setEnforceAttributeSyntaxCompliance(false);
        cfg.setEnforceSingleStructuralObjectClass(false);
        cfg.addAdditionalBindCredentials(BIND_DN, BIND_PASSWORD);
        Path p12 = resourceFile("tls/server.p12");
        SSLUtil serverSsl = new SSLUtil(new KeyStoreKeyManager(p12.toFile(), "changeit".toCharArray(), "PKCS12", "server"),
                new TrustAllTrustManager());
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        cfg.setListenerConfigs(
                InMemoryListenerConfig.createLDAPConfig("ldap", lo, ldapPort, serverSsl.createSSLSocketFactory()),
                InMemoryListenerConfig.createLDAPSConfig("ldaps", lo, ldapsPort, serverSsl.createSSLServerSocketFactory(), null));
        cfg.addInMemoryOperationInterceptor(faults);
        server = new InMemoryDirectoryServer(cfg);
        server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: corp");
        for (String ou : List.of("OU=Service," + BASE, SYNC_BASE, USERS, MOVED, OUTSIDE)) {
            String name = ou.substring(3, ou.indexOf(','));
            server.add("dn: " + ou, "objectClass: top", "objectClass: organizationalUnit", "ou: " + name);
        }
        server.add("dn: " + BIND_DN, "objectClass: top", "objectClass: user", "objectCategory: person", "cn: svc-adsync");
        if (adMode) {
            server.add("dn: CN=Sites," + BASE, "objectClass: top", "objectClass: container", "cn: Sites");
            server.add("dn: CN=DC1,CN=Sites," + BASE, "objectClass: top", "objectClass: server", "cn: DC1");
            server.add(NTDS_SETTINGS, List.of(new Attribute("objectClass", "top", "nTDSDSA"), new Attribute("cn", "NTDS Settings"),
                    new Attribute("invocationId", AdAttributes.uuidToGuid(invocationId))));
            server.add("dn: " + DELETED_OBJECTS, "objectClass: top", "objectClass: container", "cn: Deleted Objects",
                    "isDeleted: TRUE");
        }
        server.startListening();
    }

    /**
     * A fresh subtree {@code OU=<name>,OU=adsync,...} with {@code OU=Users} and {@code OU=Moved} under it, so that
     * tests sharing this server do not see each other's users. Returns the subtree's DN (a domain's base DN).
     */
    String scope(String name) throws Exception {
        String base = "OU=" + name + "," + SYNC_BASE;
        server.add("dn: " + base, "objectClass: top", "objectClass: organizationalUnit", "ou: " + name);
        server.add("dn: OU=Users," + base, "objectClass: top", "objectClass: organizationalUnit", "ou: Users");
        server.add("dn: OU=Moved," + base, "objectClass: top", "objectClass: organizationalUnit", "ou: Moved");
        return base;
    }

    public int ldapPort() {
        return ldapPort;
    }

    public int ldapsPort() {
        return ldapsPort;
    }

    Faults faults() {
        return faults;
    }

    InMemoryDirectoryServer server() {
        return server;
    }

    void stop() {
        server.shutDown(true);
    }

    void start() throws LDAPException {
        server.startListening();
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    /** A user as AD has one: objectGUID (binary, AD byte order), sAMAccountName, UPN, UAC, accountExpires... */
    record User(UUID guid, String cn, String ou, String sam, String upn, String mail, String displayName, String givenName,
                String sn, int uac, Long accountExpires) {
        String dn() {
            return "CN=" + cn + "," + ou;
        }

        static User simple(String sam, String ou) {
            return new User(UUID.randomUUID(), sam, ou, sam, sam + "@corp.test", sam + "@corp.test", "User " + sam,
                    "Given" + sam, "Sur" + sam, 512, 0L);
        }

        User withUac(int v) {
            return new User(guid, cn, ou, sam, upn, mail, displayName, givenName, sn, v, accountExpires);
        }

        User withExpires(Long v) {
            return new User(guid, cn, ou, sam, upn, mail, displayName, givenName, sn, uac, v);
        }

        User withMail(String v) {
            return new User(guid, cn, ou, sam, upn, v, displayName, givenName, sn, uac, accountExpires);
        }

        User withNames(String display, String given, String surname) {
            return new User(guid, cn, ou, sam, upn, mail, display, given, surname, uac, accountExpires);
        }
    }

    /** The highest update sequence number used so far (what the rootDSE says in AD mode). */
    long usn() {
        return usn.get();
    }

    /** Like restoring the DC from a backup: its database gets a new invocationId. */
    void restoreFromBackup() throws LDAPException {
        invocationId = UUID.randomUUID();
        server.modify(NTDS_SETTINGS, new Modification(ModificationType.REPLACE, "invocationId", AdAttributes.uuidToGuid(invocationId)));
    }

    UUID invocationId() {
        return invocationId;
    }

    private Modification bump() {
        return new Modification(ModificationType.REPLACE, "uSNChanged", Long.toString(usn.incrementAndGet()));
    }

    void add(User u) throws LDAPException {
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(new Attribute("uSNChanged", Long.toString(usn.incrementAndGet())));
        attrs.add(new Attribute("objectClass", "top", "person", "organizationalPerson", "user"));
        attrs.add(new Attribute("objectCategory", "person"));
        attrs.add(new Attribute("cn", u.cn()));
        attrs.add(new Attribute("objectGUID", AdAttributes.uuidToGuid(u.guid())));
        attrs.add(new Attribute("sAMAccountName", u.sam()));
        attrs.add(new Attribute("userAccountControl", Integer.toString(u.uac())));
        if (u.upn() != null) {
            attrs.add(new Attribute("userPrincipalName", u.upn()));
        }
        if (u.mail() != null) {
            attrs.add(new Attribute("mail", u.mail()));
        }
        if (u.displayName() != null) {
            attrs.add(new Attribute("displayName", u.displayName()));
        }
        if (u.givenName() != null) {
            attrs.add(new Attribute("givenName", u.givenName()));
        }
        if (u.sn() != null) {
            attrs.add(new Attribute("sn", u.sn()));
        }
        if (u.accountExpires() != null) {
            attrs.add(new Attribute("accountExpires", Long.toString(u.accountExpires())));
        }
        server.add(u.dn(), attrs);
    }

    /** A computer account: objectClass user too, but objectCategory computer: the filter must skip it. */
    void addComputer(String name, String ou) throws LDAPException {
        server.add("CN=" + name + "," + ou, List.of(new Attribute("objectClass", "top", "computer", "user"),
                new Attribute("objectCategory", "computer"), new Attribute("cn", name),
                new Attribute("objectGUID", AdAttributes.uuidToGuid(UUID.randomUUID())),
                new Attribute("sAMAccountName", name + "$"), new Attribute("userAccountControl", "4096"),
                new Attribute("uSNChanged", Long.toString(usn.incrementAndGet()))));
    }

    void replace(String dn, String attribute, String... values) throws LDAPException {
        server.modify(dn, new Modification(ModificationType.REPLACE, attribute, values), bump());
    }

    void replaceBytes(String dn, String attribute, byte[] value) throws LDAPException {
        server.modify(dn, new Modification(ModificationType.REPLACE, attribute, value), bump());
    }

    /**
     * Changes an attribute without a new uSNChanged: how AD shows a linked attribute (e.g. a report's
     * {@code manager}) after the object it names was renamed or moved.
     */
    void replaceQuietly(String dn, String attribute, String... values) throws LDAPException {
        server.modify(dn, new Modification(ModificationType.REPLACE, attribute, values));
    }

    void remove(String dn, String attribute) throws LDAPException {
        server.modify(dn, new Modification(ModificationType.DELETE, attribute), bump());
    }

    /** Deletes the entry; in AD mode it becomes a tombstone (like AD without the recycle bin). */
    void delete(String dn) throws LDAPException {
        if (!adMode) {
            server.delete(dn);
            return;
        }
        com.unboundid.ldap.sdk.Entry e = server.getEntry(dn);
        server.delete(dn);
        UUID guid = AdAttributes.guidToUuid(e.getAttributeValueBytes("objectGUID"));
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(e.getAttribute("objectClass"));
        attrs.add(new Attribute("objectGUID", AdAttributes.uuidToGuid(guid)));
        if (e.hasAttribute("sAMAccountName")) {
            attrs.add(e.getAttribute("sAMAccountName"));
        }
        attrs.add(new Attribute("isDeleted", "TRUE"));
        attrs.add(new Attribute("lastKnownParent", e.getParentDNString()));
        attrs.add(new Attribute("uSNChanged", Long.toString(usn.incrementAndGet())));
        String cn = e.getAttributeValue("cn");
        server.add(new com.unboundid.ldap.sdk.RDN("CN", (cn == null ? "x" : cn) + "\nDEL:" + guid) + "," + DELETED_OBJECTS, attrs);
    }

    /** A group: objectGUID, cn, sAMAccountName, description, and member DNs. */
    record Group(UUID guid, String cn, String ou) {
        String dn() {
            return "CN=" + cn + "," + ou;
        }
    }

    Group addGroup(String cn, String ou, List<String> members) throws LDAPException {
        Group g = new Group(UUID.randomUUID(), cn, ou);
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(new Attribute("objectClass", "top", "group"));
        attrs.add(new Attribute("objectCategory", "group"));
        attrs.add(new Attribute("cn", cn));
        attrs.add(new Attribute("sAMAccountName", cn));
        attrs.add(new Attribute("description", "the " + cn + " group"));
        attrs.add(new Attribute("objectGUID", AdAttributes.uuidToGuid(g.guid())));
        attrs.add(new Attribute("uSNChanged", Long.toString(usn.incrementAndGet())));
        if (!members.isEmpty()) {
            attrs.add(new Attribute("member", members));
        }
        server.add(g.dn(), attrs);
        return g;
    }

    void addOu(String dn) throws Exception {
        server.add("dn: " + dn, "objectClass: top", "objectClass: organizationalUnit", "ou: " + dn.substring(3, dn.indexOf(',')));
    }

    /** Rename and/or move: {@code newRdn} like "CN=x", {@code newSuperior} an OU DN or null to stay. */
    void moveOrRename(String dn, String newRdn, String newSuperior) throws LDAPException {
        server.modifyDN(dn, newRdn, true, newSuperior);
        String parent = newSuperior != null ? newSuperior : new com.unboundid.ldap.sdk.DN(dn).getParentString();
        server.modify(newRdn + "," + parent, bump());
    }

    /** Fault injection, keyed on the n-th paged search request (page) the server receives since {@link #reset}. */
    final class Faults extends InMemoryOperationInterceptor {
        final Map<String, String> upnToDn = new ConcurrentHashMap<>(Map.of(BIND_UPN, BIND_DN));
        final AtomicInteger pagedSearches = new AtomicInteger();
        final AtomicInteger entriesSent = new AtomicInteger();
        final AtomicInteger referencesSent = new AtomicInteger();
        volatile int failPage = -1;
        volatile ResultCode failCode = ResultCode.UNAVAILABLE;
        volatile int dropAfterEntries = -1;
        volatile long delayMs;
        /** Which page {@link #delayMs} applies to; -1: every page. */
        volatile int delayPage = -1;
        /** The attributes the last paged search asked for. */
        volatile List<String> lastRequestedAttributes = List.of();
        /** The filter of every paged search request (one per page), prefixed with "showDeleted " if it had that control. */
        final List<String> pagedFilters = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Called with the number of each paged search request, before it is answered. */
        volatile java.util.function.IntConsumer onPage = n -> { };

        void resetCounters() {
            pagedSearches.set(0);
            pagedFilters.clear();
            entriesSent.set(0);
            referencesSent.set(0);
        }

        void reset() {
            onPage = n -> { };
            rangedAnswers.set(0);
            resetCounters();
            failPage = -1;
            dropAfterEntries = -1;
            delayMs = 0;
            delayPage = -1;
        }

        @Override
        public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
            SimpleBindRequest r = request.getRequest();
            String dn = upnToDn.get(r.getBindDN());
            if (dn != null) {
                request.setRequest(new SimpleBindRequest(dn, r.getPassword().getValue()));
            }
        }

        /**
         * Like AD's MaxValRange: a search answers at most this many values of {@code member}, as
         * {@code member;range=<low>-<high>} ({@code -*} on the last range), and answers {@code member;range=...}
         * requests. 0: off (the server's own behaviour: ranged requests get nothing).
         */
        volatile int maxValRange;
        /** Answers with a {@code member;range=...} attribute. */
        final AtomicInteger rangedAnswers = new AtomicInteger();
        /** Searches with the Show Deleted control (AD mode). */
        final AtomicInteger showDeletedSearches = new AtomicInteger();

        @Override
        public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
            if (request.getRequest().hasControl(SHOW_DELETED_OID)) {
                // the server does not know the control: hand it on as non-critical, so that the entries below can
                // still tell that tombstones were asked for
                showDeletedSearches.incrementAndGet();
                com.unboundid.ldap.sdk.SearchRequest copy = request.getRequest().duplicate();
                List<com.unboundid.ldap.sdk.Control> controls = new ArrayList<>();
                for (com.unboundid.ldap.sdk.Control c : copy.getControls()) {
                    controls.add(c.getOID().equals(SHOW_DELETED_OID) ? new com.unboundid.ldap.sdk.Control(SHOW_DELETED_OID, false) : c);
                }
                copy.setControls(controls);
                request.setRequest(copy);
            }
            if (request.getRequest().hasControl(SimplePagedResultsControl.PAGED_RESULTS_OID)) {
                int n = pagedSearches.incrementAndGet();
                lastRequestedAttributes = List.copyOf(request.getRequest().getAttributeList());
                pagedFilters.add((request.getRequest().hasControl(SHOW_DELETED_OID) ? "showDeleted " : "")
                        + request.getRequest().getFilter());
                onPage.accept(n);
                if (delayMs > 0 && (delayPage < 0 || n == delayPage)) {
                    try {
                        Thread.sleep(delayMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (n == failPage) {
                    throw new LDAPException(failCode, "injected failure of page " + n);
                }
            }
        }

        @Override
        public void processSearchReference(InMemoryInterceptedSearchReference reference) {
            referencesSent.incrementAndGet();
        }

        @Override
        public void processSearchEntry(InMemoryInterceptedSearchEntry entry) {
            if (maxValRange > 0) {
                rangeMembers(entry);
            }
            if (adMode) {
                com.unboundid.ldap.sdk.SearchResultEntry e = entry.getSearchEntry();
                if (e.getDN().isEmpty()) {
                    com.unboundid.ldap.sdk.Entry root = e.duplicate();
                    root.setAttribute("highestCommittedUSN", Long.toString(usn.get()));
                    root.setAttribute("dsServiceName", NTDS_SETTINGS);
                    root.setAttribute("defaultNamingContext", BASE);
                    root.setAttribute("namingContexts", BASE);
                    entry.setSearchEntry(root);
                    return;
                }
                if (!entry.getRequest().hasControl(SHOW_DELETED_OID) && isTombstone(e.getDN())) {
                    entry.setSearchEntry(null); // tombstones are only visible with Show Deleted
                    return;
                }
            }
            int n = entriesSent.incrementAndGet();
            if (dropAfterEntries > 0 && n == dropAfterEntries) {
                // like a DC that dies mid-page: every connection is closed, the rest of the page never comes
                Thread t = new Thread(() -> server.closeAllConnections(false));
                t.start();
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static final java.util.regex.Pattern RANGE = java.util.regex.Pattern.compile("(?i)^([^;]+);range=(\\d+)-(\\d+|\\*)$");

    /**
     * AD's range retrieval of multi-valued attributes (see {@link Faults#maxValRange}): {@code member}, and any
     * other requested attribute with more than maxValRange values.
     */
    private void rangeMembers(InMemoryInterceptedSearchEntry entry) {
        com.unboundid.ldap.sdk.SearchResultEntry e = entry.getSearchEntry();
        com.unboundid.ldap.sdk.Entry stored;
        try {
            stored = server.getEntry(e.getDN());
        } catch (LDAPException ex) {
            return;
        }
        for (String requested : entry.getRequest().getAttributeList()) {
            java.util.regex.Matcher m = RANGE.matcher(requested);
            boolean plain = !requested.contains(";");
            if (!plain && !m.matches()) {
                continue;
            }
            String attribute = plain ? requested : m.group(1);
            String[] all = stored == null || !stored.hasAttribute(attribute) ? new String[0] : stored.getAttributeValues(attribute);
            int max = faults.maxValRange;
            if (plain && all.length <= max) {
                continue;
            }
            int low = plain ? 0 : Integer.parseInt(m.group(2));
            int high = plain || m.group(3).equals("*") ? Integer.MAX_VALUE : Integer.parseInt(m.group(3));
            int end = Math.min(Math.min(high, all.length - 1), low + max - 1);
            String name = attribute + ";range=" + low + "-" + (end >= all.length - 1 ? "*" : Integer.toString(end));
            com.unboundid.ldap.sdk.Entry answer = e.duplicate();
            answer.removeAttribute(attribute);
            answer.addAttribute(name, java.util.Arrays.copyOfRange(all, Math.min(low, all.length), Math.max(Math.min(low, all.length), end + 1)));
            faults.rangedAnswers.incrementAndGet();
            entry.setSearchEntry(answer);
            return;
        }
    }

    /** The entry as stored (a search result carries only the requested attributes). */
    private boolean isTombstone(String dn) {
        try {
            com.unboundid.ldap.sdk.Entry stored = server.getEntry(dn);
            return stored != null && "TRUE".equalsIgnoreCase(stored.getAttributeValue("isDeleted"));
        } catch (LDAPException e) {
            return false;
        }
    }

    static Path resourceFile(String name) {
        try (InputStream in = InMemoryAd.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            Path tmp = Files.createTempFile("adsync-test-", "-" + name.replace('/', '-'));
            Files.write(tmp, in.readAllBytes());
            tmp.toFile().deleteOnExit();
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String resource(String name) {
        try (InputStream in = InMemoryAd.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
