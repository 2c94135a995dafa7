package io.adsync.worker.sync;

import java.util.Arrays;
import java.util.UUID;

/**
 * The objectGUIDs seen during one enumeration of a domain, kept compact: each GUID is two longs stored side by
 * side in one {@code long[]}, so the set costs 16 bytes per distinct user (plus at most 50% growth slack while
 * the enumeration runs): 100,000 users take about 1.6-2.4 MB, where a {@code HashSet<UUID>} would take ~8 MB.
 * <p>
 * Adding appends; the first lookup sorts the pairs (in place) and drops duplicates (an entry moved during the
 * enumeration can be returned twice), after which lookups are binary searches. Adding after a lookup is allowed
 * (the set is re-sorted on the next lookup). Not thread-safe.
 */
public final class GuidSet {

    private long[] pairs;
    private int size;
    private boolean sorted = true;

    public GuidSet() {
        this(1024);
    }

    public GuidSet(int expected) {
        pairs = new long[Math.max(16, 2 * expected)];
    }

    public void add(UUID id) {
        if (2 * size + 2 > pairs.length) {
            pairs = Arrays.copyOf(pairs, (int) Math.min(Integer.MAX_VALUE - 8, pairs.length + (long) pairs.length / 2 + 2));
        }
        pairs[2 * size] = id.getMostSignificantBits();
        pairs[2 * size + 1] = id.getLeastSignificantBits();
        size++;
        sorted = false;
    }

    public boolean contains(UUID id) {
        seal();
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(pairs[2 * mid], pairs[2 * mid + 1], msb, lsb);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Distinct GUIDs in the set. */
    public int size() {
        seal();
        return size;
    }

    /** The GUID at {@code index} in sorted order (0 &lt;= index &lt; size()). */
    public UUID get(int index) {
        seal();
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return new UUID(pairs[2 * index], pairs[2 * index + 1]);
    }

    /** The GUIDs at {@code from} .. {@code to - 1} in sorted order, e.g. one chunk of a {@code uuid[]} parameter. */
    public UUID[] slice(int from, int to) {
        seal();
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("slice " + from + ".." + to + " of " + size);
        }
        UUID[] out = new UUID[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = new UUID(pairs[2 * i], pairs[2 * i + 1]);
        }
        return out;
    }

    /** Bytes held by the backing array. */
    public long memoryBytes() {
        return 8L * pairs.length;
    }

    private void seal() {
        if (sorted) {
            return;
        }
        sort(0, size - 1);
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (w == 0 || compare(pairs[2 * r], pairs[2 * r + 1], pairs[2 * (w - 1)], pairs[2 * (w - 1) + 1]) != 0) {
                pairs[2 * w] = pairs[2 * r];
                pairs[2 * w + 1] = pairs[2 * r + 1];
                w++;
            }
        }
        size = w;
        sorted = true;
    }

    private static int compare(long msbA, long lsbA, long msbB, long lsbB) {
        int c = Long.compare(msbA, msbB);
        return c != 0 ? c : Long.compare(lsbA, lsbB);
    }

    /** Quicksort of pairs [lo, hi] (median-of-three pivot, insertion sort for short ranges, loop on the larger side). */
    private void sort(int lo, int hi) {
        while (hi - lo > 16) {
            int mid = (lo + hi) >>> 1;
            if (cmp(mid, lo) < 0) {
                swap(mid, lo);
            }
            if (cmp(hi, lo) < 0) {
                swap(hi, lo);
            }
            if (cmp(hi, mid) < 0) {
                swap(hi, mid);
            }
            long pm = pairs[2 * mid];
            long pl = pairs[2 * mid + 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (compare(pairs[2 * i], pairs[2 * i + 1], pm, pl) < 0) {
                    i++;
                }
                while (compare(pairs[2 * j], pairs[2 * j + 1], pm, pl) > 0) {
                    j--;
                }
                if (i <= j) {
                    swap(i, j);
                    i++;
                    j--;
                }
            }
            if (j - lo < hi - i) {
                sort(lo, j);
                lo = i;
            } else {
                sort(i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            for (int k = i; k > lo && cmp(k, k - 1) < 0; k--) {
                swap(k, k - 1);
            }
        }
    }

    private int cmp(int a, int b) {
        return compare(pairs[2 * a], pairs[2 * a + 1], pairs[2 * b], pairs[2 * b + 1]);
    }

    private void swap(int a, int b) {
        long m = pairs[2 * a];
        long l = pairs[2 * a + 1];
        pairs[2 * a] = pairs[2 * b];
        pairs[2 * a + 1] = pairs[2 * b + 1];
        pairs[2 * b] = m;
        pairs[2 * b + 1] = l;
    }
}
