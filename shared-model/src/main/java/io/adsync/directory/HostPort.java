package io.adsync.directory;

import io.adsync.domain.Security;

/**
 * One entry of a domain's {@code hosts}: {@code dc1.corp.example}, {@code 10.0.0.5}, {@code [fd00::5]},
 * optionally with its own port ({@code dc1.corp.example:3269}, {@code [fd00::5]:636}); otherwise the domain's port.
 */
public record HostPort(String host, int port) {

    public static HostPort parse(String entry, int defaultPort) {
        String e = entry.trim();
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unbalanced '[' in host '" + entry + "'");
            }
            String host = e.substring(1, close);
            String rest = e.substring(close + 1);
            return new HostPort(host, rest.startsWith(":") ? port(rest.substring(1), entry) : defaultPort);
        }
        int colon = e.indexOf(':');
        if (colon > 0 && colon == e.lastIndexOf(':')) {
            return new HostPort(e.substring(0, colon), port(e.substring(colon + 1), entry));
        }
        return new HostPort(e, defaultPort); // a name, an IPv4 address, or a bare IPv6 address
    }

    private static int port(String s, String entry) {
        try {
            int p = Integer.parseInt(s);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("invalid port in host '" + entry + "'");
        }
    }

    /** e.g. {@code ldaps://dc1.corp.example:636}, for messages. */
    public String url(Security security) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (security == Security.LDAPS ? "ldaps://" : "ldap://") + h + ":" + port;
    }
}
