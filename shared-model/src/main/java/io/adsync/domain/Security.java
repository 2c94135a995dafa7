package io.adsync.domain;

/** How the LDAP connection to a domain controller is protected. */
public enum Security {
    /** TLS from the first byte, usually port 636. */
    LDAPS,
    /** Plain LDAP upgraded with the StartTLS extended operation, usually port 389. */
    STARTTLS,
    /** No transport security. Only for labs: the bind password crosses the wire in clear. */
    NONE;

    public int defaultPort() {
        return this == LDAPS ? 636 : 389;
    }
}
