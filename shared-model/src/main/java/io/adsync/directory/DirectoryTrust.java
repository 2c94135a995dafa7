package io.adsync.directory;

import io.adsync.crypto.Pem;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.IDN;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What a TLS connection to a domain controller trusts: the JVM's default trust store (cacerts, or
 * {@code javax.net.ssl.trustStore}) plus the domain's own CA certificate(s) from {@code ca_certificate_pem},
 * combined into one PKIX trust manager, and the server certificate must name the host we connected to.
 * <p>
 * Hostname verification is done here, against the host <em>as configured</em>, and not left to the LDAP
 * library: the Apache LDAP API does ask for LDAPS endpoint identification, but MINA builds the SSLEngine from
 * {@code InetSocketAddress.getHostName()}, which for a host configured as an IP address is a reverse-DNS
 * lookup. A DC configured as {@code 10.0.0.5} would then be checked against whatever name its PTR record
 * gives (spoofable, and a lookup per connection) instead of the IP. So the trust manager returned here is an
 * {@link X509ExtendedTrustManager} (the JDK then adds no check of its own) that validates the chain with PKIX
 * and then matches the configured host against the certificate: an IP literal only against iPAddress
 * subjectAltNames, a DNS name against dNSName subjectAltNames (a "*" is allowed as the whole left-most label
 * of a name with at least three labels), or against the subject CN only when the certificate has no dNSName
 * at all (RFC 6125 / the JDK's LDAP rules).
 */
public final class DirectoryTrust {

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static volatile List<X509Certificate> jvmAnchors;

    private DirectoryTrust() {
    }

    /**
     * @param caPem        the domain's extra trusted CA certificate(s) in PEM, or null/blank for none
     * @param expectedHost the host name or IP address the connection is made to, as configured
     * @throws GeneralSecurityException if the PEM is invalid or the trust store cannot be built
     */
    public static X509ExtendedTrustManager trustManager(String caPem, String expectedHost) throws GeneralSecurityException {
        List<X509Certificate> anchors = new ArrayList<>(jvmAnchors());
        if (caPem != null && !caPem.isBlank()) {
            try {
                anchors.addAll(Pem.certificates(caPem));
            } catch (IllegalArgumentException e) {
                throw new CertificateException("the domain's CA certificate " + e.getMessage(), e);
            }
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate c : anchors) {
            ks.setCertificateEntry("anchor-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        X509ExtendedTrustManager pkix = Arrays.stream(tmf.getTrustManagers())
                .filter(X509ExtendedTrustManager.class::isInstance).map(X509ExtendedTrustManager.class::cast)
                .findFirst().orElseThrow(() -> new GeneralSecurityException("no PKIX X509 trust manager available"));
        return new HostVerifyingTrustManager(pkix, expectedHost);
    }

    /** The certificates the JVM trusts by default. */
    static List<X509Certificate> jvmAnchors() throws GeneralSecurityException {
        List<X509Certificate> a = jvmAnchors;
        if (a == null) {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            List<X509Certificate> found = new ArrayList<>();
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    found.addAll(Arrays.asList(x.getAcceptedIssuers()));
                }
            }
            jvmAnchors = a = List.copyOf(found);
        }
        return a;
    }

    /**
     * Whether {@code cert} names {@code host}.
     *
     * @throws CertificateException saying why not
     */
    public static void verifyHost(String host, X509Certificate cert) throws CertificateException {
        String h = normalizeHost(host);
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable subjectAltName in the server certificate", e);
        }
        List<String> dnsNames = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() >= 2 && san.get(0) instanceof Integer type && san.get(1) instanceof String value) {
                    if (type == 2) {
                        dnsNames.add(value);
                    } else if (type == 7) {
                        ips.add(value);
                    }
                }
            }
        }
        if (isIpLiteral(h)) {
            byte[] want = ipBytes(h);
            for (String ip : ips) {
                if (isIpLiteral(ip) && Arrays.equals(want, ipBytes(ip))) {
                    return;
                }
            }
            throw mismatch(host, cert, dnsNames, ips);
        }
        String asciiHost = ascii(h);
        if (!dnsNames.isEmpty()) {
            for (String name : dnsNames) {
                if (dnsMatches(asciiHost, name)) {
                    return;
                }
            }
            throw mismatch(host, cert, dnsNames, ips);
        }
        String cn = commonName(cert);
        if (cn != null && dnsMatches(asciiHost, cn)) {
            return;
        }
        throw mismatch(host, cert, dnsNames, ips);
    }

    static boolean dnsMatches(String asciiHost, String pattern) {
        String p = ascii(normalizeHost(pattern));
        if (p.isEmpty() || asciiHost.isEmpty()) {
            return false;
        }
        if (!p.contains("*")) {
            return p.equals(asciiHost);
        }
        // Only "*" as the entire left-most label, and not directly under a TLD ("*.com").
        String[] pl = p.split("\\.", -1);
        String[] hl = asciiHost.split("\\.", -1);
        if (!pl[0].equals("*") || p.indexOf('*', 1) >= 0 || pl.length < 3 || pl.length != hl.length || hl[0].isEmpty()) {
            return false;
        }
        for (int i = 1; i < pl.length; i++) {
            if (!pl[i].equals(hl[i])) {
                return false;
            }
        }
        return true;
    }

    private static CertificateException mismatch(String host, X509Certificate cert, List<String> dns, List<String> ips) {
        return new CertificateException("hostname verification failed: the server certificate (subject '"
                + cert.getSubjectX500Principal().getName() + "', subjectAltName DNS " + dns + ", IP " + ips
                + ") does not name '" + host + "'");
    }

    static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    static boolean isIpLiteral(String h) {
        return IPV4.matcher(h).matches() || (h.contains(":") && h.matches("^[0-9a-fA-F:.%]+$"));
    }

    private static byte[] ipBytes(String literal) throws CertificateException {
        try {
            // a literal: InetAddress parses it without any lookup
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new CertificateException("invalid IP address '" + literal + "'", e);
        }
    }

    private static String ascii(String name) {
        try {
            return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }

    private static String commonName(X509Certificate cert) {
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String s) {
                    cn = s; // LdapName lists RDNs from the right: the last CN seen is the most specific
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    /** PKIX chain validation, then our own host check (see the class comment). Server certificates only. */
    static final class HostVerifyingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager pkix;
        private final String host;

        HostVerifyingTrustManager(X509ExtendedTrustManager pkix, String host) {
            this.pkix = pkix;
            this.host = host;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkServerTrusted(chain, authType);
            verifyHost(host, chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager only checks servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("this trust manager only checks servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("this trust manager only checks servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }
}
