package dev.meridian.moderation.engine;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.moderation.service.RequestParser;
import dev.meridian.moderation.service.Taxonomy;

/**
 * The built-in engine without its embedding stage: the lexical model alone, microseconds of CPU per text instead of
 * milliseconds, at lower quality (the README gives both). For models where throughput matters more than recall; the
 * catalog binds a model to it by the engine name {@code builtin-lexical}. Same thresholds, same taxonomy handling.
 */
@ApplicationScoped
public class LexicalEngine implements ModerationEngine {

    public static final String NAME = "builtin-lexical";

    @Inject
    BuiltinEngine builtin;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ModerationResponse.Result> moderate(CatalogModel model, Taxonomy taxonomy, RequestParser.Parsed request) {
        return builtin.moderateLexically(taxonomy, request);
    }
}
