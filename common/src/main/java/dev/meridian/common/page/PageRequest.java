package dev.meridian.common.page;

import dev.meridian.common.error.ApiException;

/**
 * A validated cursor-page request: {@code limit} 1–100 (default 20), {@code order} asc|desc
 * (default desc), and at most one of the {@code after}/{@code before} cursors (ids of items the
 * caller has seen).
 *
 * <p>Services scan their table in {@link #scanAscending()} order from the cursor, fetch
 * {@link #fetchSize()} rows, and hand them to {@link Page#of}.
 */
public record PageRequest(int limit, Order order, String after, String before) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /**
     * From query parameters as sent. {@code limit} is taken as text so that a non-number is a 400 naming
     * {@code limit}, not the 404 JAX-RS gives a parameter it cannot convert.
     */
    public static PageRequest parse(String limit, String order, String after, String before) {
        Integer size = null;
        if (limit != null && !limit.isBlank()) {
            try {
                size = Integer.valueOf(limit.trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("limit", "Invalid type for 'limit': expected an integer, but got '" + limit
                        + "' instead.", "invalid_type");
            }
        }
        return of(size, order, after, before);
    }

    public static PageRequest of(Integer limit, String order, String after, String before) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiException.invalid("limit", "Invalid 'limit': integer below minimum value or above maximum value."
                    + " Expected a value between 1 and " + MAX_LIMIT + ", but got " + size + " instead.", "integer_out_of_range");
        }
        Order sort;
        if (order == null || order.isEmpty()) {
            sort = Order.DESC;
        } else if ("asc".equals(order)) {
            sort = Order.ASC;
        } else if ("desc".equals(order)) {
            sort = Order.DESC;
        } else {
            throw ApiException.invalid("order", "Invalid value for 'order': expected one of 'asc' or 'desc', but got '"
                    + order + "' instead.");
        }
        String afterId = blankToNull(after);
        String beforeId = blankToNull(before);
        if (afterId != null && beforeId != null) {
            throw ApiException.invalid("before", "Use either 'after' or 'before', not both.");
        }
        return new PageRequest(size, sort, afterId, beforeId);
    }

    /** One more than the page, so that {@code has_more} is known without a count query. */
    public int fetchSize() {
        return limit + 1;
    }

    /** The direction to scan storage in: the requested order, reversed when paging backwards. */
    public boolean scanAscending() {
        return (order == Order.ASC) != (before != null);
    }

    /** The cursor to scan from, or null for the first page. */
    public String cursor() {
        return after != null ? after : before;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
