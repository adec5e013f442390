package dev.meridian.models.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.models.config.CatalogConfig;
import dev.meridian.models.mapping.ModelMapper;
import dev.meridian.models.repository.ModelRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What each project sees of the catalog, in memory: a read of {@code GET /v1/models} costs a map lookup, not a
 * transaction and a query. The repository's query stays the one rule of visibility; this only remembers its answer
 * per org and project. An answer is forgotten when this replica commits a change to that project's models, when the
 * change's event arrives from any replica ({@link dev.meridian.models.messaging.CatalogChanges}), and in any case
 * after {@code meridian.catalog.view.max-staleness}, which bounds how stale a replica can be if events stop.
 */
@ApplicationScoped
public class CatalogView {

    private final Cache<Scope, Visible> scopes;

    @Inject
    ModelRepository models;

    private record Scope(String org, String project) {
    }

    /** A project's models, oldest first, and the same by id. */
    private record Visible(List<CatalogModel> models, Map<String, CatalogModel> byId) {
    }

    @Inject
    public CatalogView(CatalogConfig config) {
        this.scopes = Caffeine.newBuilder()
                .maximumSize(config.view().maxScopes())
                .expireAfterWrite(config.view().maxStaleness())
                .build();
    }

    /** Base models plus the project's own, oldest first (ties by id). */
    public List<CatalogModel> visibleTo(String org, String project) {
        return visible(org, project).models();
    }

    /** What {@link #visibleTo} would answer if it is in memory, without loading it. */
    public Optional<List<CatalogModel>> inMemory(String org, String project) {
        return Optional.ofNullable(scopes.getIfPresent(new Scope(org, project))).map(Visible::models);
    }

    public Optional<CatalogModel> find(String id, String org, String project) {
        return Optional.ofNullable(visible(org, project).byId().get(id));
    }

    /** Forgets what one project sees; a {@code null} org (a base model changed) forgets every project. */
    public void forget(String org, String project) {
        if (org == null) {
            scopes.invalidateAll();
        } else {
            scopes.invalidate(new Scope(org, project));
        }
    }

    private Visible visible(String org, String project) {
        return scopes.get(new Scope(org, project), this::load);
    }

    private Visible load(Scope scope) {
        List<CatalogModel> list = QuarkusTransaction.joiningExisting().call(() ->
                models.visibleTo(scope.org(), scope.project()).stream().map(ModelMapper::toCatalog).toList());
        Map<String, CatalogModel> byId = new LinkedHashMap<>();
        list.forEach(model -> byId.put(model.id(), model));
        return new Visible(list, Map.copyOf(byId));
    }
}
