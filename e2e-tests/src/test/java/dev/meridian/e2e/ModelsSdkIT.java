package dev.meridian.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.models.Model;
import com.openai.models.models.ModelDeleted;

/** The Models API through the edge, with Keycloak tokens, as an application using the official SDK sees it. */
class ModelsSdkIT {

    static final List<String> BASE_MODELS = List.of("dall-e-2", "dall-e-3", "omni-moderation-latest",
            "omni-moderation-2024-09-26", "text-moderation-latest", "text-moderation-stable", "gpt-4o", "gpt-4o-mini");

    @Test
    void listsTheBaseModels() {
        List<Model> models = Stack.client("member").models().list().data();
        List<String> ids = models.stream().map(Model::id).toList();
        assertTrue(ids.containsAll(BASE_MODELS), () -> "missing base models in " + ids);
        for (Model model : models) {
            assertEquals("model", model._object_().asString().orElseThrow());
            assertTrue(model.created() > 1_600_000_000L);
        }
    }

    @Test
    void retrievesAModel() {
        Model model = Stack.client("outsider").models().retrieve("dall-e-3");
        assertEquals("dall-e-3", model.id());
        assertEquals(1698785189L, model.created());
        assertEquals("system", model.ownedBy());
    }

    @Test
    void unknownModelIsNotFoundWithTheOpenAiError() {
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> Stack.client("member").models().retrieve("gpt-9000"));
        assertError(e, 404, "invalid_request_error", Optional.of("model"), Optional.of("model_not_found"));
    }

    @Test
    void missingOrWrongKeyIsUnauthorized() {
        UnauthorizedException e = assertThrows(UnauthorizedException.class,
                () -> Stack.clientWithKey("sk-not-a-meridian-token").models().list());
        assertError(e, 401, "invalid_request_error", Optional.empty(), Optional.of("invalid_api_key"));
    }

    @Test
    void fineTunedModelLifecycleAcrossRolesAndOrgs() throws Exception {
        String id = "ft:gpt-4o-mini:org-dev:e2e:" + Long.toString(System.nanoTime(), 36);
        register(id);

        Model own = Stack.client("member").models().retrieve(id);
        assertEquals(id, own.id());
        assertEquals("org-dev", own.ownedBy());
        assertTrue(Stack.client("member").models().list().data().stream().anyMatch(m -> m.id().equals(id)));

        // another org, even as its owner, cannot see or delete it
        NotFoundException hidden = assertThrows(NotFoundException.class,
                () -> Stack.client("outsider").models().retrieve(id));
        assertError(hidden, 404, "invalid_request_error", Optional.of("model"), Optional.of("model_not_found"));
        assertThrows(NotFoundException.class, () -> Stack.client("outsider").models().delete(id));
        assertFalse(Stack.client("outsider").models().list().data().stream().anyMatch(m -> m.id().equals(id)));

        // a member of the org cannot delete it
        PermissionDeniedException denied = assertThrows(PermissionDeniedException.class,
                () -> Stack.client("member").models().delete(id));
        assertError(denied, 403, "invalid_request_error", Optional.empty(), Optional.empty());

        ModelDeleted deleted = Stack.client("owner").models().delete(id);
        assertEquals(id, deleted.id());
        assertTrue(deleted.deleted());
        assertEquals("model", deleted._object_().asString().orElseThrow());

        assertThrows(NotFoundException.class, () -> Stack.client("owner").models().retrieve(id));
        assertFalse(Stack.client("owner").models().list().data().stream().anyMatch(m -> m.id().equals(id)));
    }

    @Test
    void baseModelsCannotBeDeleted() {
        PermissionDeniedException e = assertThrows(PermissionDeniedException.class,
                () -> Stack.client("owner").models().delete("gpt-4o"));
        assertError(e, 403, "invalid_request_error", Optional.empty(), Optional.empty());
        assertEquals("gpt-4o", Stack.client("owner").models().retrieve("gpt-4o").id());
    }

    @Test
    void unknownRoutesGetTheEnvelopeFromTheEdge() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(Stack.baseUrl() + "/nope")).header("Authorization", "Bearer " + Stack.token("member")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, response.statusCode());
        assertEquals("{\"error\":{\"message\":\"Invalid URL (GET /v1/nope)\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":null}}", response.body());
    }

    /** Registers a fine-tuned model for org-dev through models-service's admin API, as the org owner. */
    private static void register(String id) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(Stack.modelsServiceUrl() + "/admin/v1/models"))
                .header("Authorization", "Bearer " + Stack.token("owner"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"" + id + "\",\"capability\":\"chat\",\"engine\":\"builtin\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }

    private static void assertError(OpenAIServiceException e, int status, String type, Optional<String> param,
            Optional<String> code) {
        assertEquals(status, e.statusCode());
        assertEquals(Optional.of(type), e.type());
        assertEquals(param, e.param());
        assertEquals(code, e.code());
    }
}
