package dev.meridian.moderation.engine;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.client.OpenAiUpstream;
import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.error.ErrorType;
import dev.meridian.moderation.client.UpstreamModerationsApi;
import dev.meridian.moderation.config.ModerationConfig;

/**
 * Forwards to an upstream's {@code /v1/moderations} under the model's upstream name. Images go as data URLs of the
 * bytes already fetched and checked here, so the upstream never reaches into our network. The upstream's scores and
 * flags are returned as they are; categories it leaves out are filled in as not evaluated.
 */
@ApplicationScoped
public class OpenAiModerationEngine implements ModerationEngine {

    public static final String NAME = "openai-compatible";

    private final OpenAiUpstream<UpstreamModerationsApi> upstream;

    @Inject
    OpenAiModerationEngine(ModerationConfig config) {
        upstream = new OpenAiUpstream<>("moderation engine upstream", UpstreamModerationsApi.class, config.upstream());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ModerationResponse.Result> moderate(CatalogModel model, Taxonomy taxonomy, ModerationBatch request) {
        List<ModerationInput> inputs = request.inputs();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model.upstreamModel() != null ? model.upstreamModel() : model.id());
        body.put("input", request.multimodal() ? parts(inputs.get(0)) : inputs.stream().map(ModerationInput::text).toList());
        ModerationResponse response;
        try {
            response = upstream.call((api, auth) -> api.moderate(body, auth));
        } catch (OpenAiUpstream.Unavailable e) {
            throw ApiException.unavailable("The moderation engine for '" + model.id() + "' is temporarily"
                    + " unavailable. Please retry your request shortly.");
        }
        if (response == null || response.results() == null || response.results().size() != inputs.size()) {
            throw new ApiException(502, ErrorType.SERVER, "The moderation engine upstream answered with "
                    + (response == null || response.results() == null ? "no" : response.results().size())
                    + " results for " + inputs.size() + " inputs.", null, null);
        }
        List<ModerationResponse.Result> results = new ArrayList<>();
        for (ModerationResponse.Result r : response.results()) {
            results.add(complete(r, taxonomy));
        }
        return results;
    }

    private static List<Map<String, Object>> parts(ModerationInput input) {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (ModerationInput.Part p : input.parts()) {
            if (p instanceof ModerationInput.Text t) {
                parts.add(Map.of("type", "text", "text", t.text()));
            } else if (p instanceof ModerationInput.Image i) {
                String url = "data:" + i.mediaType() + ";base64," + Base64.getEncoder().encodeToString(i.bytes());
                parts.add(Map.of("type", "image_url", "image_url", Map.of("url", url)));
            }
        }
        return parts;
    }

    private static ModerationResponse.Result complete(ModerationResponse.Result r, Taxonomy taxonomy) {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, List<String>> applied = new LinkedHashMap<>();
        for (String category : Taxonomy.ALL) {
            Boolean flag = r.categories() == null ? null : r.categories().get(category);
            Double score = r.categoryScores() == null ? null : r.categoryScores().get(category);
            List<String> types = r.categoryAppliedInputTypes() == null ? null : r.categoryAppliedInputTypes().get(category);
            flags.put(category, flag != null ? flag : taxonomy.has(category) && score != null ? Boolean.FALSE : null);
            scores.put(category, score == null ? 0.0 : score);
            applied.put(category, types != null ? types : score == null ? List.of() : List.of("text"));
        }
        return new ModerationResponse.Result(r.flagged(), flags, scores, applied);
    }
}
