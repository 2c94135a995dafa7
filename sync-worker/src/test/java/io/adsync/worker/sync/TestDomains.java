package io.adsync.worker.sync;

import io.adsync.domain.Domain;
import io.adsync.domain.Security;

import java.util.List;
import java.util.UUID;

/** Domain rows for tests, pointing at an {@link InMemoryAd}. */
public final class TestDomains {

    private TestDomains() {
    }

    public static Domain plain(InMemoryAd ad) {
        return domain("corp-" + UUID.randomUUID().toString().substring(0, 8), List.of("127.0.0.1"), ad.ldapPort(),
                Security.NONE, null);
    }

    public static Domain ldaps(InMemoryAd ad, String host, String caPem) {
        return domain("corp-ldaps", List.of(host), ad.ldapsPort(), Security.LDAPS, caPem);
    }

    public static Domain startTls(InMemoryAd ad, String host, String caPem) {
        return domain("corp-starttls", List.of(host), ad.ldapPort(), Security.STARTTLS, caPem);
    }

    public static Domain domain(String name, List<String> hosts, int port, Security security, String caPem) {
        Domain d = new Domain();
        d.id = UUID.randomUUID();
        d.name = name;
        d.hosts = hosts;
        d.port = port;
        d.security = security;
        d.caCertificatePem = caPem;
        d.bindDn = InMemoryAd.BIND_DN;
        d.baseDn = InMemoryAd.SYNC_BASE;
        d.userFilter = InMemoryAd.FILTER;
        d.pageSize = 100;
        d.connectTimeoutSeconds = 2;
        d.readTimeoutSeconds = 2;
        return d;
    }
}
