package dev.meridian.admin.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.access.ApiKeys;
import dev.meridian.access.KeyGrant;
import dev.meridian.admin.api.AdminApiKey;
import dev.meridian.admin.api.Deleted;
import dev.meridian.admin.entity.AdminKeyEntity;
import dev.meridian.admin.entity.OrgUserEntity;
import dev.meridian.admin.repository.AdminKeyRepository;
import dev.meridian.admin.repository.OrgUserRepository;
import dev.meridian.common.api.ListResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.events.EventTypes;
import dev.meridian.common.id.Ids;
import dev.meridian.common.page.Page;
import dev.meridian.common.page.PageRequest;

/**
 * Organization admin keys ({@code sk-admin-}): the administration API with an organization owner's rights. Only
 * organization owners manage them; they never work on the model APIs.
 */
@ApplicationScoped
public class AdminKeys {

    static final long MAX_EXPIRY_SECONDS = 31_536_000;

    @Inject
    AdminKeyRepository keys;

    @Inject
    OrgUserRepository users;

    @Inject
    Actors actors;

    @Inject
    AdminEvents events;

    @Transactional
    public ListResponse<AdminApiKey> list(Actor actor, PageRequest request) {
        actors.requireOrgOwner(actor, "listing admin API keys");
        Long after = request.after() == null ? null
                : keys.findInOrg(request.after(), actor.org()).map(k -> k.seq).orElseThrow(() -> ProjectAdmin.badCursor(request.after()));
        List<AdminKeyEntity> rows = keys.page(actor.org(), request, after);
        return Page.of(request, rows.stream().map(k -> describe(k, null)).toList(), AdminApiKey::id);
    }

    @Transactional
    public AdminApiKey create(Actor actor, ObjectNode body) {
        actors.requireOrgOwner(actor, "creating an admin API key");
        String name = Bodies.text(body, "name", true, 256);
        Long expiresIn = expiresIn(body.get("expires_in_seconds"));
        String value = ApiKeys.generate(ApiKeys.ADMIN_PREFIX);
        AdminKeyEntity key = new AdminKeyEntity();
        key.id = Ids.next("key");
        key.orgId = actor.org();
        key.ownerId = actor.subject();
        key.name = name;
        key.hash = ApiKeys.hash(value);
        key.redactedValue = ApiKeys.redact(value);
        key.createdAt = Instant.now().getEpochSecond();
        key.expiresAt = expiresIn == null ? null : key.createdAt + expiresIn;
        keys.persist(key);
        events.adminKey(EventTypes.API_KEY_CREATED, key);
        return describe(key, value);
    }

    @Transactional
    public AdminApiKey get(Actor actor, String id) {
        actors.requireOrgOwner(actor, "reading an admin API key");
        return describe(key(actor, id), null);
    }

    @Transactional
    public Deleted delete(Actor actor, String id) {
        actors.requireOrgOwner(actor, "deleting an admin API key");
        AdminKeyEntity key = key(actor, id);
        keys.delete(key);
        events.adminKey(EventTypes.API_KEY_DELETED, key);
        return new Deleted("organization.admin_api_key.deleted", id, true);
    }

    /** What a presented admin key grants: an unexpired key of the org. Refreshes {@code last_used_at}. */
    @Transactional
    public Optional<KeyGrant> resolve(String value) {
        long now = Instant.now().getEpochSecond();
        return keys.findByHash(ApiKeys.hash(value))
                .filter(key -> key.expiresAt == null || key.expiresAt > now)
                .map(key -> {
                    keys.touch(key.id, now);
                    return new KeyGrant(key.id, key.orgId, null, KeyGrant.ADMIN, key.ownerId, "owner", key.expiresAt);
                });
    }

    private AdminKeyEntity key(Actor actor, String id) {
        return keys.findInOrg(id, actor.org()).orElseThrow(() -> ApiException.notFound(null,
                "No admin API key with id '" + id + "' in your organization.", null));
    }

    private AdminApiKey describe(AdminKeyEntity key, String value) {
        OrgUserEntity owner = users.findById(key.ownerId);
        return new AdminApiKey(AdminApiKey.OBJECT, key.id, key.name, key.redactedValue, key.createdAt, key.expiresAt,
                key.lastUsedAt, new AdminApiKey.Owner("user", "organization.user", key.ownerId, owner == null ? null : owner.name,
                        owner == null ? key.createdAt : owner.createdAt, "owner"), value);
    }

    private static Long expiresIn(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw ApiException.invalid("expires_in_seconds", "Invalid type for 'expires_in_seconds': expected an integer.",
                    "invalid_type");
        }
        long seconds = node.longValue();
        if (seconds < 1 || seconds > MAX_EXPIRY_SECONDS) {
            throw ApiException.invalid("expires_in_seconds", "Invalid 'expires_in_seconds': integer below minimum value or"
                    + " above maximum value. Expected a value between 1 and " + MAX_EXPIRY_SECONDS + ", but got " + seconds
                    + " instead.", "integer_out_of_range");
        }
        return seconds;
    }
}
