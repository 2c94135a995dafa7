package io.adsync.directory;

import io.adsync.run.ErrorCategory;
import io.adsync.run.SyncFailure;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every value of a multi-valued attribute with range retrieval, as AD requires for large ones: AD returns at
 * most MaxValRange (1,500 by default) values of e.g. {@code member} at once, as {@code member;range=0-1499}, and
 * the client asks for the next range ({@code member;range=1500-*}) until a response ends with {@code -*}.
 * <p>
 * With {@code rangeSize} 0 the server chooses the size of each range (requests {@code member;range=<low>-*}); with
 * {@code rangeSize} N every request names its range explicitly ({@code member;range=0-(N-1)}, then
 * {@code N-(2N-1)}, ...). A server that ignores ranges and returns the plain attribute has returned everything.
 */
public final class RangedValues {

    private static final Pattern RANGE = Pattern.compile("(?i)^([^;]+);range=(\\d+)-(\\d+|\\*)$");
    private static final int MAX_REQUESTS = 100_000;

    private RangedValues() {
    }

    /**
     * @param values the values, or null if the entry does not exist (any more)
     * @param reads  how many entries were read (one per range)
     */
    public record Result(List<String> values, int reads) {
    }

    public static Result read(DirectoryConnection c, String dn, String attribute, int rangeSize) throws SyncFailure {
        List<String> values = new ArrayList<>();
        int low = 0;
        int reads = 0;
        while (reads < MAX_REQUESTS) {
            String high = rangeSize > 0 ? Integer.toString(low + rangeSize - 1) : "*";
            String requested = attribute + ";range=" + low + "-" + high;
            Entry e = c.readEntry(dn, List.of(requested));
            reads++;
            if (e == null) {
                return reads == 1 ? new Result(null, reads) : new Result(values, reads);
            }
            Attribute ranged = null;
            Matcher m = null;
            Attribute plain = null;
            for (Attribute a : e.getAttributes()) {
                String id = a.getUpId();
                Matcher mm = RANGE.matcher(id);
                if (mm.matches() && mm.group(1).equalsIgnoreCase(attribute)) {
                    ranged = a;
                    m = mm;
                } else if (id.toLowerCase(Locale.ROOT).equals(attribute.toLowerCase(Locale.ROOT))) {
                    plain = a;
                }
            }
            if (ranged == null) {
                // no ranged answer: the server returned the whole attribute, or there are no (more) values
                if (plain != null && low == 0) {
                    add(values, plain);
                }
                return new Result(values, reads);
            }
            int from = Integer.parseInt(m.group(2));
            if (from != low) {
                throw new SyncFailure(ErrorCategory.PROTOCOL, c.url() + ": asked " + dn + " for " + requested
                        + " and got " + ranged.getUpId());
            }
            add(values, ranged);
            if (m.group(3).equals("*")) {
                return new Result(values, reads);
            }
            int to = Integer.parseInt(m.group(3));
            if (to < from) {
                throw new SyncFailure(ErrorCategory.PROTOCOL, c.url() + ": " + dn + " returned the empty range " + ranged.getUpId());
            }
            low = to + 1;
        }
        throw new SyncFailure(ErrorCategory.PROTOCOL, c.url() + ": " + dn + " did not finish its " + attribute + " ranges");
    }

    private static void add(List<String> values, Attribute a) {
        for (Value v : a) {
            String s = v.getString();
            if (s != null) {
                values.add(s);
            }
        }
    }
}
