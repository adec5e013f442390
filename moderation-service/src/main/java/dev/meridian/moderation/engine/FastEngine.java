package dev.meridian.moderation.engine;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.api.moderations.ModerationResponse;

/**
 * The built-in engine with the distilled token embedding in place of the sentence embedding: tens of microseconds of
 * CPU per short text instead of milliseconds, at lower quality (docs/benchmarks.md gives both). For models where throughput
 * matters more than recall; the catalog binds a model to it by the engine name {@code builtin-fast}. Same
 * thresholds, same taxonomy handling; with {@code meridian.moderation.builtin.embedding.enabled=false} it scores with
 * the lexical model alone, as {@code builtin} does.
 */
@ApplicationScoped
public class FastEngine implements ModerationEngine {

    public static final String NAME = "builtin-fast";

    @Inject
    BuiltinEngine builtin;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ModerationResponse.Result> moderate(CatalogModel model, Taxonomy taxonomy, ModerationBatch request) {
        return builtin.moderateFast(taxonomy, request);
    }
}
