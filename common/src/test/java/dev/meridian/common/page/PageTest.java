package dev.meridian.common.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.meridian.common.api.ListResponse;
import dev.meridian.common.error.ApiException;

class PageTest {

    @Test
    void defaultsAreTwentyDescending() {
        PageRequest request = PageRequest.of(null, null, null, null);
        assertEquals(new PageRequest(20, Order.DESC, null, null), request);
        assertEquals(21, request.fetchSize());
        assertFalse(request.scanAscending());
    }

    @Test
    void limitOutOfRangeNamesLimit() {
        for (int limit : new int[] { 0, -1, 101 }) {
            ApiException e = assertThrows(ApiException.class, () -> PageRequest.of(limit, null, null, null));
            assertEquals(400, e.status());
            assertEquals("limit", e.param());
            assertEquals("integer_out_of_range", e.code());
        }
        assertEquals(1, PageRequest.of(1, null, null, null).limit());
        assertEquals(100, PageRequest.of(100, null, null, null).limit());
    }

    @Test
    void unknownOrderNamesOrder() {
        ApiException e = assertThrows(ApiException.class, () -> PageRequest.of(null, "newest", null, null));
        assertEquals("order", e.param());
        assertEquals("Invalid value for 'order': expected one of 'asc' or 'desc', but got 'newest' instead.", e.getMessage());
    }

    @Test
    void bothCursorsAreRefused() {
        ApiException e = assertThrows(ApiException.class, () -> PageRequest.of(null, null, "a", "b"));
        assertEquals("before", e.param());
    }

    @Test
    void scanDirectionFollowsOrderAndFlipsForBefore() {
        assertTrue(PageRequest.of(null, "asc", null, null).scanAscending());
        assertFalse(PageRequest.of(null, "asc", null, "x").scanAscending());
        assertFalse(PageRequest.of(null, "desc", "x", null).scanAscending());
        assertTrue(PageRequest.of(null, "desc", null, "x").scanAscending());
    }

    /** Walks 250 items forwards with after and backwards with before, in both orders: each seen once. */
    @Test
    void cursorsVisitEveryItemExactlyOnce() {
        List<Integer> items = IntStream.range(0, 250).boxed().toList();
        for (String order : new String[] { "asc", "desc" }) {
            List<String> forward = new ArrayList<>();
            String after = null;
            ListResponse<Integer> page;
            do {
                page = page(items, PageRequest.of(33, order, after, null));
                page.data().forEach(i -> forward.add(String.valueOf(i)));
                after = page.lastId();
            } while (page.hasMore());
            assertEquals(250, forward.size());
            assertEquals(250, forward.stream().distinct().count());

            List<String> backward = new ArrayList<>();
            String before = forward.get(forward.size() - 1);
            backward.add(before);
            do {
                page = page(items, PageRequest.of(33, order, null, before));
                List<String> ids = page.data().stream().map(String::valueOf).toList();
                backward.addAll(0, ids);
                before = page.firstId();
            } while (page.hasMore());
            assertEquals(forward, backward, order);
        }
    }

    @Test
    void emptyPageHasNullIds() {
        ListResponse<Integer> page = Page.of(PageRequest.of(5, null, null, null), List.of(), String::valueOf);
        assertEquals("list", page.object());
        assertNull(page.firstId());
        assertNull(page.lastId());
        assertFalse(page.hasMore());
    }

    /** What a service does: scan from the cursor in the request's scan direction, fetch one extra. */
    private static ListResponse<Integer> page(List<Integer> all, PageRequest request) {
        Comparator<Integer> scan = request.scanAscending() ? Comparator.naturalOrder() : Comparator.reverseOrder();
        Integer cursor = request.cursor() == null ? null : Integer.valueOf(request.cursor());
        List<Integer> scanned = all.stream().sorted(scan)
                .filter(i -> cursor == null || scan.compare(i, cursor) > 0)
                .limit(request.fetchSize())
                .toList();
        return Page.of(request, scanned, String::valueOf);
    }
}
