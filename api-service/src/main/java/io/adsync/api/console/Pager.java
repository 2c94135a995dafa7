package io.adsync.api.console;

import io.adsync.api.common.Page;

/** Paging links for a {@link Page}: "page 3 of 40", previous and next. */
public record Pager(int page, int pages, long total, boolean hasPrevious, boolean hasNext, int previous, int next) {

    public static Pager of(Page<?> p) {
        int pages = (int) Math.max(1, (p.total() + p.size() - 1) / p.size());
        return new Pager(p.page(), pages, p.total(), p.page() > 0, p.page() + 1 < pages, Math.max(0, p.page() - 1), p.page() + 1);
    }

    public int number() {
        return page + 1;
    }
}
