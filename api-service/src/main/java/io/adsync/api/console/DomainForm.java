package io.adsync.api.console;

import io.adsync.api.domain.DomainRequest;
import io.adsync.api.domain.DomainResponse;
import io.adsync.common.Violation;
import io.adsync.domain.Security;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The domain form as typed (hosts one per line, in failover order), and its {@link DomainRequest}. */
public class DomainForm {

    public String id;
    public String name = "";
    public String hosts = "";
    public String port = "";
    public String security = "LDAPS";
    public String caCertificatePem = "";
    public String bindDn = "";
    public boolean bindPasswordSet;
    public String baseDn = "";
    public String userFilter = "";
    public String groupBaseDn = "";
    public String groupFilter = "";
    public String pageSize = "";
    public String connectTimeoutSeconds = "";
    public String readTimeoutSeconds = "";
    public String version = "";

    public static DomainForm of(MultivaluedMap<String, String> f) {
        DomainForm d = new DomainForm();
        d.name = get(f, "name");
        d.hosts = get(f, "hosts");
        d.port = get(f, "port");
        d.security = get(f, "security");
        d.caCertificatePem = get(f, "caCertificatePem");
        d.bindDn = get(f, "bindDn");
        d.baseDn = get(f, "baseDn");
        d.userFilter = get(f, "userFilter");
        d.groupBaseDn = get(f, "groupBaseDn");
        d.groupFilter = get(f, "groupFilter");
        d.pageSize = get(f, "pageSize");
        d.connectTimeoutSeconds = get(f, "connectTimeoutSeconds");
        d.readTimeoutSeconds = get(f, "readTimeoutSeconds");
        d.version = get(f, "version");
        return d;
    }

    public static DomainForm of(DomainResponse r) {
        DomainForm d = new DomainForm();
        d.id = r.id().toString();
        d.name = r.name();
        d.hosts = String.join("\n", r.hosts());
        d.port = "" + r.port();
        d.security = r.security().name();
        d.caCertificatePem = r.caCertificatePem() == null ? "" : r.caCertificatePem();
        d.bindDn = r.bindDn();
        d.bindPasswordSet = r.bindPasswordSet();
        d.baseDn = r.baseDn();
        d.userFilter = r.userFilter() == null ? "" : r.userFilter();
        d.groupBaseDn = r.groupBaseDn() == null ? "" : r.groupBaseDn();
        d.groupFilter = r.groupFilter() == null ? "" : r.groupFilter();
        d.pageSize = "" + r.pageSize();
        d.connectTimeoutSeconds = "" + r.connectTimeoutSeconds();
        d.readTimeoutSeconds = "" + r.readTimeoutSeconds();
        d.version = "" + r.version();
        return d;
    }


    public record Parsed(DomainRequest request, List<Violation> violations) {
    }

    public Parsed toRequest(String password) {
        List<Violation> v = new ArrayList<>();
        Security sec = null;
        try {
            sec = security == null || security.isBlank() ? null : Security.valueOf(security);
        } catch (IllegalArgumentException e) {
            v.add(new Violation("security", "pick a value"));
        }
        List<String> hostList = Arrays.stream(hosts.split("[\\r\\n,]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        DomainRequest req = new DomainRequest(name.trim(), hostList, integer(port, "port", v), sec, blankToNull(caCertificatePem),
                bindDn.trim(), password == null || password.isEmpty() ? null : password, baseDn.trim(), blankToNull(userFilter),
                blankToNull(groupBaseDn), blankToNull(groupFilter), integer(pageSize, "pageSize", v),
                integer(connectTimeoutSeconds, "connectTimeoutSeconds", v), integer(readTimeoutSeconds, "readTimeoutSeconds", v),
                null, // attribute mappings: not on the form yet; null keeps the domain's own (the defaults on create)
                version.isBlank() ? null : Long.valueOf(version.trim()));
        return new Parsed(req, v);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Integer integer(String s, String field, List<Violation> v) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            v.add(new Violation(field, "must be a whole number"));
            return null;
        }
    }

    private static String get(MultivaluedMap<String, String> f, String key) {
        String value = f.getFirst(key);
        return value == null ? "" : value;
    }
}
