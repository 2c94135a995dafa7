package io.adsync.domain;

/**
 * How the values of a mapped directory attribute are stored in an account's {@code attributes}:
 * <ul>
 *   <li>{@code STRING}: the first value, as text;</li>
 *   <li>{@code STRINGS}: every value, in the order the directory returns them (complete: ranged values are read
 *       like a group's {@code member});</li>
 *   <li>{@code INTEGER}: a JSON number (64 bit);</li>
 *   <li>{@code BOOLEAN}: {@code TRUE}/{@code FALSE} as a JSON boolean;</li>
 *   <li>{@code DATETIME}: an ISO-8601 instant, from a Windows FILETIME ({@code accountExpires}, {@code pwdLastSet},
 *       {@code lastLogonTimestamp}; 0 and 0x7FFFFFFFFFFFFFFF mean "never": no value) or a GeneralizedTime
 *       ({@code whenCreated});</li>
 *   <li>{@code BINARY}: base64, left out (with a warning in the run) over the worker's
 *       {@code adsync.sync.max-binary-bytes};</li>
 *   <li>{@code GUID}: the canonical UUID string (AD's mixed-endian byte order, as Windows prints it);</li>
 *   <li>{@code SID}: the canonical {@code S-1-5-21-...} string;</li>
 *   <li>{@code DN_REFERENCE}: the DN the attribute names. The mapping with target {@code manager} also links the
 *       account to the local account of that DN ({@code managerId}).</li>
 * </ul>
 */
public enum AttributeType {
    STRING, STRINGS, INTEGER, BOOLEAN, DATETIME, BINARY, GUID, SID, DN_REFERENCE;

    /** Whether the directory sends the values as bytes (the LDAP client must not decode them as UTF-8). */
    public boolean binary() {
        return this == BINARY || this == GUID || this == SID;
    }
}
