package dev.meridian.common.page;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import dev.meridian.common.api.ListResponse;

/** Turns rows scanned per {@link PageRequest} into the list envelope, in the requested order. */
public final class Page {

    private Page() {
    }

    public static <T> ListResponse<T> of(PageRequest request, List<T> scanned, Function<T, String> idOf) {
        boolean hasMore = scanned.size() > request.limit();
        List<T> page = new ArrayList<>(scanned.subList(0, Math.min(request.limit(), scanned.size())));
        if (request.before() != null) {
            Collections.reverse(page);
        }
        return ListResponse.of(page, idOf, hasMore);
    }
}
