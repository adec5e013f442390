package dev.meridian.common.api;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's list envelope: {@code {"object":"list","data":[…],"first_id","last_id","has_more"}}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ListResponse<T>(
        String object,
        List<T> data,
        @JsonProperty("first_id") String firstId,
        @JsonProperty("last_id") String lastId,
        @JsonProperty("has_more") boolean hasMore) {

    public static final String OBJECT = "list";

    /** A complete (unpaged) list; first and last ids are derived from the items. */
    public static <T> ListResponse<T> of(List<T> data, Function<T, String> idOf) {
        return of(data, idOf, false);
    }

    public static <T> ListResponse<T> of(List<T> data, Function<T, String> idOf, boolean hasMore) {
        String first = data.isEmpty() ? null : idOf.apply(data.get(0));
        String last = data.isEmpty() ? null : idOf.apply(data.get(data.size() - 1));
        return new ListResponse<>(OBJECT, List.copyOf(data), first, last, hasMore);
    }
}
