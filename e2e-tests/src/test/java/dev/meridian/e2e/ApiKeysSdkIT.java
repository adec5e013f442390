package dev.meridian.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.beta.assistants.Assistant;
import com.openai.models.beta.assistants.AssistantCreateParams;
import com.openai.models.beta.threads.ThreadCreateAndRunParams;
import com.openai.models.beta.threads.messages.MessageListParams;
import com.openai.models.beta.threads.runs.Run;
import com.openai.models.beta.threads.runs.RunRetrieveParams;
import com.openai.models.beta.threads.runs.RunStatus;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.models.Model;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;

/**
 * sk- API keys through the edge with the official SDK configured with nothing but the base URL and the key, and
 * projects chosen with the SDK's {@code project(...)} by a Keycloak user.
 */
class ApiKeysSdkIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aKeyWorksOnEveryService() {
        String key = Stack.key("member");
        assertTrue(key.matches("sk-proj-[A-Za-z0-9_-]{43}"), "a fresh personal key");
        OpenAIClient client = Stack.clientWithKey(key);

        List<String> models = client.models().list().data().stream().map(Model::id).toList();
        assertTrue(models.containsAll(ModelsSdkIT.BASE_MODELS), models.toString());

        ModerationCreateResponse moderation = client.moderations().create(ModerationCreateParams.builder()
                .input("a lighthouse at dusk").build());
        moderation.validate();
        assertFalse(moderation.results().get(0).flagged());

        ImagesResponse images = client.images().generate(ImageGenerateParams.builder().prompt("a lighthouse at dusk")
                .model("dall-e-2").size(ImageGenerateParams.Size.of("256x256"))
                .responseFormat(ImageGenerateParams.ResponseFormat.of("b64_json")).build());
        images.validate();
        assertEquals(1, images.data().orElseThrow().size());

        Assistant assistant = client.beta().assistants().create(AssistantCreateParams.builder().model("gpt-4o-mini").build());
        Run run = client.beta().threads().createAndRun(ThreadCreateAndRunParams.builder().assistantId(assistant.id())
                .thread(ThreadCreateAndRunParams.Thread.builder().addMessage(ThreadCreateAndRunParams.Thread.Message.builder()
                        .role(ThreadCreateAndRunParams.Thread.Message.Role.USER).content("Hello keys").build()).build())
                .build());
        Run done = await().atMost(Duration.ofSeconds(30)).until(() -> client.beta().threads().runs().retrieve(
                RunRetrieveParams.builder().threadId(run.threadId()).runId(run.id()).build()),
                r -> r.status().equals(RunStatus.COMPLETED));
        done.validate();
        assertEquals("You said: Hello keys", client.beta().threads().messages().list(MessageListParams.builder()
                .threadId(run.threadId()).runId(run.id()).build()).data().get(0).content().get(0).asText().text().value());
    }

    @Test
    void projectsIsolateResourcesAndRevocationReachesEveryReplicaWithinASecond() throws Exception {
        String owner = Stack.token("owner");
        JsonNode project = admin("POST", "/organization/projects", owner, Map.of("name", "e2e " + System.nanoTime()));
        String projectId = project.path("id").asText();
        JsonNode account = admin("POST", "/organization/projects/" + projectId + "/service_accounts", owner,
                Map.of("name", "e2e app"));
        String key = account.path("api_key").path("value").asText();
        assertTrue(key.startsWith("sk-svcacct-"), account.toString());

        // what the key creates lives in its project only
        OpenAIClient app = Stack.clientWithKey(key);
        Assistant mine = app.beta().assistants().create(AssistantCreateParams.builder().model("gpt-4o").name("isolated").build());
        assertThrows(NotFoundException.class, () -> Stack.client("owner").beta().assistants().retrieve(mine.id()));
        assertThrows(NotFoundException.class, () -> Stack.clientWithKey(Stack.key("owner")).beta().assistants().retrieve(mine.id()));
        // a Keycloak user picks the project with the SDK's project(...): the org's owner may, a non-member may not
        OpenAIClient ownerInProject = OpenAIOkHttpClient.builder().baseUrl(Stack.baseUrl()).apiKey(owner).project(projectId)
                .maxRetries(0).build();
        assertEquals("isolated", ownerInProject.beta().assistants().retrieve(mine.id()).name().orElseThrow());
        assertTrue(ownerInProject.models().list().data().stream().map(Model::id).toList().containsAll(ModelsSdkIT.BASE_MODELS));
        assertFalse(ownerInProject.moderations().create(ModerationCreateParams.builder().input("a quiet harbour").build())
                .results().get(0).flagged());
        assertEquals(1, ownerInProject.images().generate(ImageGenerateParams.builder().prompt("a quiet harbour")
                .model("dall-e-2").size(ImageGenerateParams.Size.of("256x256"))
                .responseFormat(ImageGenerateParams.ResponseFormat.of("b64_json")).build()).data().orElseThrow().size());
        OpenAIClient memberInProject = OpenAIOkHttpClient.builder().baseUrl(Stack.baseUrl()).apiKey(Stack.token("member"))
                .project(projectId).maxRetries(0).build();
        assertThrows(PermissionDeniedException.class, () -> memberInProject.beta().assistants().retrieve(mine.id()));
        // another org's owner does not see the project at all
        assertEquals(404, status("GET", "/organization/projects/" + projectId, Stack.token("outsider")));

        // a second replica of models-service, outside the edge, knows the key too
        String replica = Stack.replica("models-service");
        assertEquals(200, statusAt(replica + "/v1/models", key));
        assertEquals(200, status("GET", "/models", key));
        assertEquals(200, status("GET", "/assistants", key));

        admin("DELETE", "/organization/projects/" + projectId + "/service_accounts/" + account.path("id").asText(), owner, null);
        long deleted = System.nanoTime();
        for (String url : List.of(replica + "/v1/models", Stack.baseUrl() + "/models", Stack.baseUrl() + "/assistants")) {
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> statusAt(url, key) == 401);
        }
        assertTrue(System.nanoTime() - deleted < Duration.ofSeconds(3).toNanos());
        UnauthorizedException refused = assertThrows(UnauthorizedException.class, () -> app.models().list());
        assertEquals(401, refused.statusCode());
        assertEquals("invalid_api_key", refused.code().orElseThrow());

        // keys are never written to any log of the stack
        try (Stream<Path> logs = Files.list(Stack.logs())) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log);
                assertFalse(text.contains(key), log + " contains an API key");
            }
        }
    }

    static JsonNode admin(String method, String path, String token, Object body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, Stack.baseUrl() + path, token, body);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    static int status(String method, String path, String token) throws IOException, InterruptedException {
        return send(method, Stack.baseUrl() + path, token, null).statusCode();
    }

    static int statusAt(String url, String token) throws IOException, InterruptedException {
        return send("GET", url, token, null).statusCode();
    }

    static HttpResponse<String> send(String method, String url, String token, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("OpenAI-Beta", "assistants=v2").timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
