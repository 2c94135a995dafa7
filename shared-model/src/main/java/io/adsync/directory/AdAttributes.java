package io.adsync.directory;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Active Directory attributes adsync reads, and how their raw values are interpreted.
 * <ul>
 *   <li>{@code objectGUID}: 16 bytes in Microsoft's mixed-endian GUID layout (Data1 as 4 little-endian bytes,
 *       Data2 and Data3 as 2 little-endian bytes each, then Data4 as 8 bytes in order). Windows and
 *       {@code samba-tool} print it as a canonical UUID string; {@link #guidToUuid} gives the same string.</li>
 *   <li>{@code userAccountControl}: bit flags; bit {@code 0x2} (ACCOUNTDISABLE) means disabled, whatever the
 *       other bits are (514 = 512|2, 546 = 512|32|2 and 66050 = 65536|512|2 are all disabled).</li>
 *   <li>{@code accountExpires}: a Windows FILETIME, 100 ns ticks since 1601-01-01T00:00Z. 0 and
 *       0x7FFFFFFFFFFFFFFF (and an absent value) mean "never expires".</li>
 * </ul>
 */
public final class AdAttributes {

    public static final String OBJECT_GUID = "objectGUID";
    public static final String SAM_ACCOUNT_NAME = "sAMAccountName";
    public static final String USER_PRINCIPAL_NAME = "userPrincipalName";
    public static final String MAIL = "mail";
    public static final String DISPLAY_NAME = "displayName";
    public static final String GIVEN_NAME = "givenName";
    public static final String SURNAME = "sn";
    public static final String DISTINGUISHED_NAME = "distinguishedName";
    public static final String USER_ACCOUNT_CONTROL = "userAccountControl";
    public static final String ACCOUNT_EXPIRES = "accountExpires";

    /** Exactly the attributes a sync asks the directory for. */
    public static final List<String> REQUESTED = List.of(OBJECT_GUID, SAM_ACCOUNT_NAME, USER_PRINCIPAL_NAME, MAIL,
            DISPLAY_NAME, GIVEN_NAME, SURNAME, DISTINGUISHED_NAME, USER_ACCOUNT_CONTROL, ACCOUNT_EXPIRES);

    /** Attributes of users whose values are bytes in AD, whatever a domain maps (the client must not decode them). */
    public static final List<String> KNOWN_BINARY = List.of("objectSid", "thumbnailPhoto", "jpegPhoto", "userCertificate",
            "mS-DS-ConsistencyGuid", "msExchMailboxGuid", "sIDHistory", "tokenGroups", "logonHours");

    /** userAccountControl ACCOUNTDISABLE. */
    public static final int UF_ACCOUNTDISABLE = 0x2;

    /** accountExpires value AD uses for "never" (besides 0). */
    public static final long NEVER_EXPIRES = Long.MAX_VALUE;

    /** FILETIME ticks (100 ns) between 1601-01-01 and 1970-01-01. */
    static final long FILETIME_UNIX_EPOCH = 116_444_736_000_000_000L;

    private AdAttributes() {
    }

    /** AD's 16-byte objectGUID to the canonical UUID (as printed by Windows and samba-tool). */
    public static UUID guidToUuid(byte[] b) {
        if (b == null || b.length != 16) {
            throw new IllegalArgumentException("objectGUID must be 16 bytes, got " + (b == null ? "none" : b.length));
        }
        long data1 = (b[3] & 0xffL) << 24 | (b[2] & 0xffL) << 16 | (b[1] & 0xffL) << 8 | (b[0] & 0xffL);
        long data2 = (b[5] & 0xffL) << 8 | (b[4] & 0xffL);
        long data3 = (b[7] & 0xffL) << 8 | (b[6] & 0xffL);
        long msb = data1 << 32 | data2 << 16 | data3;
        long lsb = 0;
        for (int i = 8; i < 16; i++) {
            lsb = lsb << 8 | (b[i] & 0xffL);
        }
        return new UUID(msb, lsb);
    }

    /** The inverse of {@link #guidToUuid}: the bytes AD stores (and an LDAP filter on objectGUID needs). */
    public static byte[] uuidToGuid(UUID u) {
        long msb = u.getMostSignificantBits();
        long lsb = u.getLeastSignificantBits();
        byte[] b = new byte[16];
        long data1 = msb >>> 32;
        long data2 = (msb >>> 16) & 0xffff;
        long data3 = msb & 0xffff;
        b[0] = (byte) data1;
        b[1] = (byte) (data1 >>> 8);
        b[2] = (byte) (data1 >>> 16);
        b[3] = (byte) (data1 >>> 24);
        b[4] = (byte) data2;
        b[5] = (byte) (data2 >>> 8);
        b[6] = (byte) data3;
        b[7] = (byte) (data3 >>> 8);
        for (int i = 15; i >= 8; i--) {
            b[i] = (byte) lsb;
            lsb >>>= 8;
        }
        return b;
    }

    public static boolean isDisabled(Integer userAccountControl) {
        return userAccountControl != null && (userAccountControl & UF_ACCOUNTDISABLE) != 0;
    }

    /** @return true if accountExpires says "never" (absent, 0, 0x7FFFFFFFFFFFFFFF; negative values are invalid: never) */
    public static boolean neverExpires(Long accountExpires) {
        return accountExpires == null || accountExpires <= 0 || accountExpires == NEVER_EXPIRES;
    }

    public static boolean isExpired(Long accountExpires, Instant now) {
        return !neverExpires(accountExpires) && accountExpires <= toFileTime(now);
    }

    /** A FILETIME to an Instant (only meaningful when not {@link #neverExpires}). */
    public static Instant fromFileTime(long fileTime) {
        long sinceUnix = fileTime - FILETIME_UNIX_EPOCH;
        return Instant.ofEpochSecond(Math.floorDiv(sinceUnix, 10_000_000L), Math.floorMod(sinceUnix, 10_000_000L) * 100);
    }

    public static long toFileTime(Instant t) {
        return Math.addExact(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 10_000_000L), t.getNano() / 100),
                FILETIME_UNIX_EPOCH);
    }
}
