package io.adsync.worker.sync;

import io.adsync.directory.AdAttributes;
import io.adsync.directory.DirectoryConnection;
import io.adsync.directory.RangedValues;
import io.adsync.domain.AttributeMapping;
import io.adsync.domain.AttributeType;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A domain's attribute mappings applied to directory entries: which attributes a sync asks for (the engine's own,
 * {@link AdAttributes#REQUESTED}, plus every mapped source, and nothing else), and each entry's mapped values as
 * stored in {@code account.attributes} (target to JSON value, see {@link AttributeType}).
 * <p>
 * A multi-valued attribute with more values than the DC sends at once (AD's MaxValRange, 1,500) arrives as
 * {@code <attr>;range=0-1499}; such an entry is marked incomplete and {@link #complete} reads all its values with
 * range retrieval ({@link RangedValues}, as for a group's {@code member}) once the page it came in has ended.
 * <p>
 * A value that cannot be converted to its type, or a binary value over the cap, is left out and recorded as a
 * warning; it never fails the sync.
 */
final class MappedAttributes {

    private static final Pattern RANGE = Pattern.compile("(?i)^([^;]+);range=(\\d+)-(\\d+|\\*)$");
    private static final Pattern GENERALIZED = Pattern.compile(
            "^(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})?(\\d{2})?(?:[.,](\\d{1,9}))?(Z|[+-]\\d{2}(?:\\d{2})?)$");

    private final List<AttributeMapping> mappings;
    private final int maxBinaryBytes;
    private final int rangeSize;
    private final SyncWarnings warnings;
    private final List<String> requested;
    private DirectoryConnection connection;

    /** What an entry's mapped attributes are; {@code incomplete}: mappings whose values came in ranges, to be read. */
    record Values(Map<String, Object> values, List<AttributeMapping> incomplete) {
    }

    MappedAttributes(List<AttributeMapping> mappings, int maxBinaryBytes, int rangeSize, SyncWarnings warnings) {
        this.mappings = List.copyOf(mappings);
        this.maxBinaryBytes = maxBinaryBytes;
        this.rangeSize = rangeSize;
        this.warnings = warnings;
        Set<String> lower = new LinkedHashSet<>();
        List<String> req = new ArrayList<>();
        for (String a : AdAttributes.REQUESTED) {
            lower.add(a.toLowerCase(Locale.ROOT));
            req.add(a);
        }
        for (AttributeMapping m : this.mappings) {
            if (lower.add(m.source().toLowerCase(Locale.ROOT))) {
                req.add(m.source());
            }
        }
        this.requested = List.copyOf(req);
    }

    /** The attributes the user searches ask for. */
    List<String> requested() {
        return requested;
    }

    /** The connection the reads run on (for the ranged reads of incomplete entries). */
    void connection(DirectoryConnection c) {
        this.connection = c;
    }

    Values map(Entry e, String dn) {
        if (mappings.isEmpty()) {
            return new Values(Map.of(), List.of());
        }
        // one pass over the entry: plain attributes by lower-case name, and those that came as a range
        Map<String, Attribute> byName = new HashMap<>();
        Map<String, Attribute> ranged = null;
        Map<String, Boolean> rangeEnded = null;
        for (Attribute a : e.getAttributes()) {
            String id = a.getUpId();
            if (id.indexOf(';') > 0) {
                Matcher m = RANGE.matcher(id);
                if (m.matches()) {
                    if (ranged == null) {
                        ranged = new HashMap<>();
                        rangeEnded = new HashMap<>();
                    }
                    String base = m.group(1).toLowerCase(Locale.ROOT);
                    ranged.put(base, a);
                    rangeEnded.put(base, m.group(2).equals("0") && m.group(3).equals("*"));
                }
                continue;
            }
            byName.put(id.toLowerCase(Locale.ROOT), a);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<AttributeMapping> incomplete = List.of();
        for (AttributeMapping m : mappings) {
            String key = m.source().toLowerCase(Locale.ROOT);
            Attribute a = byName.get(key);
            if (a == null && ranged != null && ranged.containsKey(key)) {
                a = ranged.get(key);
                if (!rangeEnded.get(key)) {
                    if (incomplete.isEmpty()) {
                        incomplete = new ArrayList<>();
                    }
                    incomplete.add(m);
                }
            }
            if (a == null || a.size() == 0) {
                continue;
            }
            Object v = convert(m, a, dn);
            if (v != null) {
                values.put(m.target(), v);
            }
        }
        return new Values(values, incomplete);
    }

    /** Reads every value of the incomplete mappings of the entry at {@code dn} (range retrieval) into {@code values}. */
    void complete(String dn, Map<String, Object> values, List<AttributeMapping> incomplete) throws Exception {
        for (AttributeMapping m : incomplete) {
            RangedValues.Result r = RangedValues.read(connection, dn, m.source(), rangeSize);
            if (r.values() == null) {
                warnings.add(dn + ": " + m.source() + ": the entry disappeared before all its values were read; "
                        + "kept the first range");
                continue;
            }
            if (m.type() == AttributeType.STRINGS) {
                values.put(m.target(), r.values());
            } else if (!r.values().isEmpty() && !values.containsKey(m.target())) {
                values.put(m.target(), r.values().getFirst());
            }
        }
    }

    private Object convert(AttributeMapping m, Attribute a, String dn) {
        try {
            return switch (m.type()) {
                case STRING, DN_REFERENCE -> text(a.get());
                case STRINGS -> {
                    List<String> all = new ArrayList<>(a.size());
                    for (Value v : a) {
                        String s = text(v);
                        if (s != null) {
                            all.add(s);
                        }
                    }
                    yield all;
                }
                case INTEGER -> Long.parseLong(text(a.get()).trim());
                case BOOLEAN -> {
                    String s = text(a.get()).trim();
                    if (s.equalsIgnoreCase("TRUE")) {
                        yield Boolean.TRUE;
                    }
                    if (s.equalsIgnoreCase("FALSE")) {
                        yield Boolean.FALSE;
                    }
                    throw new IllegalArgumentException("not TRUE or FALSE: '" + s + "'");
                }
                case DATETIME -> {
                    Instant t = dateTime(text(a.get()).trim());
                    yield t == null ? null : t.toString();
                }
                case BINARY -> {
                    byte[] b = a.get().getBytes();
                    if (b.length > maxBinaryBytes) {
                        warnings.add(dn + ": " + m.source() + " is " + b.length + " bytes, over the cap of " + maxBinaryBytes
                                + " (adsync.sync.max-binary-bytes): left out of attributes." + m.target());
                        yield null;
                    }
                    yield Base64.getEncoder().encodeToString(b);
                }
                case GUID -> AdAttributes.guidToUuid(a.get().getBytes()).toString();
                case SID -> sid(a.get().getBytes());
            };
        } catch (RuntimeException ex) {
            warnings.add(dn + ": " + m.source() + " is not a valid " + m.type() + " (" + ex.getMessage() + "): left out of attributes."
                    + m.target());
            return null;
        }
    }

    private static String text(Value v) {
        if (v == null) {
            return null;
        }
        if (v.isHumanReadable()) {
            return v.getString();
        }
        byte[] b = v.getBytes();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /**
     * A FILETIME (digits only: 100 ns ticks since 1601; 0 and 0x7FFFFFFFFFFFFFFF mean never: null) or a
     * GeneralizedTime ({@code 20260301120000.0Z}, {@code 202603011200Z}, {@code 20260301120000+0100}).
     */
    static Instant dateTime(String s) {
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) || s.startsWith("-") && s.length() > 1
                && s.substring(1).chars().allMatch(Character::isDigit)) {
            long ft = Long.parseLong(s);
            return AdAttributes.neverExpires(ft) ? null : AdAttributes.fromFileTime(ft);
        }
        Matcher m = GENERALIZED.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("neither a FILETIME nor a GeneralizedTime: '" + s + "'");
        }
        int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "000000000").substring(0, 9));
        LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                m.group(5) == null ? 0 : Integer.parseInt(m.group(5)), m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
        String z = m.group(8);
        ZoneOffset offset = z.equals("Z") ? ZoneOffset.UTC
                : ZoneOffset.ofHoursMinutes(Integer.parseInt(z.substring(0, 3)),
                (z.charAt(0) == '-' ? -1 : 1) * (z.length() > 3 ? Integer.parseInt(z.substring(3)) : 0));
        return local.toInstant(offset);
    }

    /** A binary SID (revision, sub-authority count, 48-bit big-endian authority, 32-bit little-endian sub-authorities). */
    static String sid(byte[] b) {
        if (b == null || b.length < 8 || b.length != 8 + 4 * (b[1] & 0xff)) {
            throw new IllegalArgumentException("a SID of " + (b == null ? 0 : b.length) + " bytes");
        }
        long authority = 0;
        for (int i = 2; i < 8; i++) {
            authority = authority << 8 | (b[i] & 0xffL);
        }
        StringBuilder sb = new StringBuilder("S-").append(b[0] & 0xff).append('-').append(authority);
        for (int k = 0; k < (b[1] & 0xff); k++) {
            int o = 8 + 4 * k;
            long sub = (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
            sb.append('-').append(sub);
        }
        return sb.toString();
    }
}
