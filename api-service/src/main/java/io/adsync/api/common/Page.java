package io.adsync.api.common;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import org.hibernate.jpa.HibernateHints;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list. {@code page} is zero-based; {@code total} counts all matches.
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), page, size, total);
    }

    /**
     * Page {@code page} of {@code query}'s rows, each mapped by {@code f}: for list endpoints, which change nothing.
     * <ul>
     *   <li>The rows are loaded read-only: Hibernate keeps no snapshot of them for dirty checking. For a job that
     *       snapshot was a deep copy of its JSON schedule (written out and parsed again), a fifth of the CPU of
     *       {@code GET /jobs}. So never change an entity loaded here.</li>
     *   <li>The total comes from a count query only when the page itself cannot tell it: a page that has rows but
     *       fewer than {@code size} (or an empty first page) is the last one, so the total is {@code page * size}
     *       plus its rows, and the count (a second pass over every match) is skipped. A full page, or an empty page
     *       past the first, still counts.</li>
     * </ul>
     */
    public static <E, T> Page<T> of(PanacheQuery<E> query, int page, int size, Function<? super E, T> f) {
        List<E> rows = query.withHint(HibernateHints.HINT_READ_ONLY, true).page(page, size).list();
        return new Page<>(rows.stream().<T>map(f).toList(), page, size, total(rows.size(), page, size, query::count));
    }

    /** The total of a list whose page {@code page} (of {@code size}) had {@code rows} rows; {@code count} if unknown. */
    static long total(int rows, int page, int size, java.util.function.LongSupplier count) {
        if (rows < size && (rows > 0 || page == 0)) {
            return (long) page * size + rows;
        }
        return count.getAsLong();
    }
}
