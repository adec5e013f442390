package dev.meridian.admin.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.admin.api.ProjectRateLimit;
import dev.meridian.admin.config.RateLimitDefaults;
import dev.meridian.admin.entity.CatalogModelEntity;
import dev.meridian.admin.entity.ProjectEntity;
import dev.meridian.admin.entity.RateLimitEntity;
import dev.meridian.admin.repository.RateLimitRepository;
import dev.meridian.common.api.ListResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.events.RateLimitData;
import dev.meridian.common.page.Page;
import dev.meridian.common.page.PageRequest;

/**
 * A project's rate limits: one entry per model the project may use, the capability's defaults unless an owner of
 * the organization changed them. A change goes out as {@code meridian.rate_limit.updated}, which every replica of
 * every service applies within a second.
 */
@ApplicationScoped
public class RateLimitAdmin {

    private static final List<String> FIELDS = List.of("max_requests_per_1_minute", "max_tokens_per_1_minute",
            "max_images_per_1_minute", "max_audio_megabytes_per_1_minute", "max_requests_per_1_day",
            "batch_1_day_max_input_tokens");

    @Inject
    RateLimitRepository limits;

    @Inject
    RateLimitDefaults defaults;

    @Inject
    Actors actors;

    @Inject
    AdminEvents events;

    @Transactional
    public ListResponse<ProjectRateLimit> list(Actor actor, String projectId, PageRequest request) {
        ProjectEntity project = actors.visible(actor, projectId);
        List<CatalogModelEntity> models = limits.modelsOf(project.orgId, project.id);
        Map<String, RateLimitEntity> changed = limits.ofProject(project.id);
        int start = 0;
        if (request.after() != null) {
            String model = modelOf(request.after());
            start = -1;
            for (int i = 0; i < models.size(); i++) {
                if (models.get(i).id.equals(model)) {
                    start = i + 1;
                }
            }
            if (start < 0) {
                throw ProjectAdmin.badCursor(request.after());
            }
        }
        List<ProjectRateLimit> page = models.subList(start, Math.min(models.size(), start + request.fetchSize())).stream()
                .map(m -> toWire(effective(project.id, m.id, m.capability, changed.get(m.id)))).toList();
        return Page.of(request, page, ProjectRateLimit::id);
    }

    @Transactional
    public ProjectRateLimit update(Actor actor, String projectId, String rateLimitId, ObjectNode body) {
        ProjectEntity project = actors.visible(actor, projectId);
        actors.requireOrgOwner(actor, "changing a project's rate limits");
        Actors.requireActive(project);
        String model = modelOf(rateLimitId);
        CatalogModelEntity catalogModel = limits.modelsOf(project.orgId, project.id).stream().filter(m -> m.id.equals(model))
                .findFirst().orElseThrow(() -> ApiException.notFound(null, "No rate limit with id '" + rateLimitId
                        + "' in the project " + project.id + ".", null));
        RateLimitEntity row = limits.findFor(project.id, model).orElseGet(() -> {
            RateLimitEntity created = new RateLimitEntity();
            created.projectId = project.id;
            created.model = model;
            return created;
        });
        RateLimitDefaults.Limits base = defaultsOf(catalogModel.capability);
        row.maxRequestsPer1Minute = value(body, FIELDS.get(0), row.maxRequestsPer1Minute, true);
        row.maxTokensPer1Minute = value(body, FIELDS.get(1), row.maxTokensPer1Minute, true);
        row.maxImagesPer1Minute = value(body, FIELDS.get(2), row.maxImagesPer1Minute, base.maxImagesPer1Minute().isPresent());
        row.maxAudioMegabytesPer1Minute = value(body, FIELDS.get(3), row.maxAudioMegabytesPer1Minute,
                base.maxAudioMegabytesPer1Minute().isPresent());
        row.maxRequestsPer1Day = value(body, FIELDS.get(4), row.maxRequestsPer1Day, base.maxRequestsPer1Day().isPresent());
        row.batch1DayMaxInputTokens = value(body, FIELDS.get(5), row.batch1DayMaxInputTokens,
                base.batch1DayMaxInputTokens().isPresent());
        row.updatedAt = Instant.now().getEpochSecond();
        limits.persist(row);
        RateLimitData effective = effective(project.id, model, catalogModel.capability, row);
        events.rateLimit(project, effective);
        return toWire(effective);
    }

    /** The limits the caller's project has for a model of the given capability (for the services that enforce them). */
    @Transactional
    public RateLimitData effective(String projectId, String model, String capability) {
        String known = limits.catalogModel(model).map(m -> m.capability).orElse(capability);
        return effective(projectId, model, known, limits.findFor(projectId, model).orElse(null));
    }

    private RateLimitData effective(String projectId, String model, String capability, RateLimitEntity changed) {
        RateLimitDefaults.Limits base = defaultsOf(capability);
        return new RateLimitData(projectId, model,
                pick(changed == null ? null : changed.maxRequestsPer1Minute, base.maxRequestsPer1Minute()),
                pick(changed == null ? null : changed.maxTokensPer1Minute, base.maxTokensPer1Minute()),
                pick(changed == null ? null : changed.maxImagesPer1Minute, base.maxImagesPer1Minute().orElse(null)),
                pick(changed == null ? null : changed.maxAudioMegabytesPer1Minute, base.maxAudioMegabytesPer1Minute().orElse(null)),
                pick(changed == null ? null : changed.maxRequestsPer1Day, base.maxRequestsPer1Day().orElse(null)),
                pick(changed == null ? null : changed.batch1DayMaxInputTokens, base.batch1DayMaxInputTokens().orElse(null)));
    }

    private RateLimitDefaults.Limits defaultsOf(String capability) {
        RateLimitDefaults.Limits limits = defaults.defaults().get(capability);
        if (limits == null) {
            throw new IllegalStateException("No rate limit defaults for capability " + capability
                    + " (meridian.rate-limits.defaults." + capability + ".*)");
        }
        return limits;
    }

    private static Integer pick(Integer changed, Integer base) {
        return changed != null ? changed : base;
    }

    private static ProjectRateLimit toWire(RateLimitData limits) {
        return new ProjectRateLimit(ProjectRateLimit.OBJECT, ProjectRateLimit.ID_PREFIX + limits.model(), limits.model(),
                limits.maxRequestsPer1Minute(), limits.maxTokensPer1Minute(), limits.maxImagesPer1Minute(),
                limits.maxAudioMegabytesPer1Minute(), limits.maxRequestsPer1Day(), limits.batch1DayMaxInputTokens());
    }

    private static String modelOf(String rateLimitId) {
        return rateLimitId.startsWith(ProjectRateLimit.ID_PREFIX) ? rateLimitId.substring(ProjectRateLimit.ID_PREFIX.length())
                : rateLimitId;
    }

    /** A new value for a limit the model has, or its present one; 400 for a limit the model has not. */
    private static Integer value(ObjectNode body, String field, Integer present, boolean applies) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return present;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiException.invalid(field, "Invalid type for '" + field + "': expected an integer.", "invalid_type");
        }
        int value = node.intValue();
        if (value < 0) {
            throw ApiException.invalid(field, "Invalid '" + field + "': integer below minimum value. Expected a value >= 0,"
                    + " but got " + value + " instead.", "integer_below_min_value");
        }
        if (!applies) {
            throw ApiException.invalid(field, "Invalid '" + field + "': this limit does not apply to the model.", null);
        }
        return value;
    }
}
