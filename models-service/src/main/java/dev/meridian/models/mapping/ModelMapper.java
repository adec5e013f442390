package dev.meridian.models.mapping;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.api.models.Model;
import dev.meridian.common.events.ModelEventData;
import dev.meridian.models.entity.ModelEntry;

public final class ModelMapper {

    private ModelMapper() {
    }

    public static Model toModel(ModelEntry e) {
        return Model.of(e.id, e.created, e.ownedBy);
    }

    public static Model toModel(CatalogModel m) {
        return Model.of(m.id(), m.created(), m.ownedBy());
    }

    public static CatalogModel toCatalog(ModelEntry e) {
        return new CatalogModel(e.id, CatalogModel.OBJECT, e.created, e.ownedBy, e.orgId, e.capability, e.engine,
                e.upstreamModel, e.upstreamBaseUrl, e.upstreamCredential);
    }

    public static ModelEventData toEvent(ModelEntry e, String actor) {
        return new ModelEventData(e.id, e.created, e.ownedBy, e.orgId, e.projectId, e.capability, e.engine, e.upstreamModel, actor);
    }
}
