package dev.meridian.assistants.repository;

import java.util.List;

import dev.meridian.assistants.entity.Paged;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

/**
 * Keyset pagination on ({@code createdAt}, {@code seq}): scans from the cursor row in the request's
 * scan direction and fetches one row more than the page, without offsets or counts.
 */
final class Keyset {

    private Keyset() {
    }

    static <E extends Paged> List<E> scan(PanacheRepositoryBase<E, Long> repository, String scope, Parameters params,
            PageRequest request, Paged cursor) {
        boolean ascending = request.scanAscending();
        String direction = ascending ? "asc" : "desc";
        String beyond = ascending ? ">" : "<";
        StringBuilder query = new StringBuilder(scope);
        if (cursor != null) {
            query.append(" and (createdAt ").append(beyond).append(" :cursorCreated or (createdAt = :cursorCreated and seq ")
                    .append(beyond).append(" :cursorSeq))");
            params.and("cursorCreated", cursor.createdAt()).and("cursorSeq", cursor.seq());
        }
        query.append(" order by createdAt ").append(direction).append(", seq ").append(direction);
        return repository.find(query.toString(), params).page(0, request.fetchSize()).list();
    }
}
