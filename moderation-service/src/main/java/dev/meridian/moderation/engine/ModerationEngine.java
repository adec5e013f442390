package dev.meridian.moderation.engine;

import java.util.List;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.api.moderations.ModerationResponse;

/** Classifies inputs for a catalog model; one result per input, every category of the taxonomy present. */
public interface ModerationEngine {

    /** The engine name models are bound to in the catalog. */
    String name();

    List<ModerationResponse.Result> moderate(CatalogModel model, Taxonomy taxonomy, ModerationBatch request);
}
