package dev.meridian.assistants.engine;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.meridian.assistants.client.ChatCompletionsApi;
import dev.meridian.assistants.config.ChatConfig;
import dev.meridian.common.client.OpenAiUpstream;
import dev.meridian.common.client.RemoteError;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;

/**
 * Calls the configured chat-completions upstream and turns what can go wrong into {@link ChatFailure}s:
 * a refusal with its status, no connection, silence longer than the read timeout. Refusals with 429 or
 * 5xx and failed connections are retried (honouring {@code retry-after}, bounded) only while nothing has
 * streamed yet, so an answer is never repeated.
 */
@ApplicationScoped
public class UpstreamChat {

    private static final Logger LOG = Logger.getLogger(UpstreamChat.class);

    private final ChatConfig config;
    private final OpenAiUpstream<ChatCompletionsApi> upstream;

    @Inject
    UpstreamChat(ChatConfig config) {
        this.config = config;
        upstream = new OpenAiUpstream<>("chat upstream", ChatCompletionsApi.class, config.upstream());
    }

    /** The event data of the model's upstream (its own, else the configured default), {@code [DONE]} excluded. */
    public Multi<String> stream(ObjectNode body, ChatBinding binding) {
        String base = binding.upstreamBaseUrl() != null ? binding.upstreamBaseUrl()
                : config.upstream().baseUrl().filter(url -> !url.isBlank()).orElseThrow(() -> ChatFailure.server(
                        "No chat upstream is configured for this model (MERIDIAN_CHAT_UPSTREAM_BASE_URL)."));
        String authorization;
        if (binding.upstreamCredential() != null) {
            String key = config.credentials().get(binding.upstreamCredential());
            if (key == null) {
                throw ChatFailure.server("The model's upstream credential '" + binding.upstreamCredential()
                        + "' is not configured on this server (meridian.chat.credentials." + binding.upstreamCredential()
                        + ").");
            }
            authorization = OpenAiUpstream.bearer(key);
        } else {
            authorization = upstream.authorization();
        }
        ChatCompletionsApi api = upstream.client(base);
        return attempt(api, body, authorization, new Attempts()).select().where(data -> !"[DONE]".equals(data.strip()));
    }

    /** How a turn's attempts went so far: how many were made, and whether anything streamed. */
    private static final class Attempts {
        int made;
        volatile boolean streamed;
    }

    private Multi<String> attempt(ChatCompletionsApi api, ObjectNode body, String authorization, Attempts attempts) {
        Duration idle = config.upstream().readTimeout();
        return Multi.createFrom().deferred(() -> {
            attempts.made++;
            return api.stream(body, authorization);
        })
                .ifNoItem().after(idle).failWith(() -> ChatFailure.server("The model server sent nothing for "
                        + idle.toSeconds() + " s; the request was abandoned."))
                .onItem().invoke(() -> attempts.streamed = true)
                .onFailure().transform(this::classify)
                .onFailure(failure -> !attempts.streamed && ((ChatFailure) failure).retryable()
                        && attempts.made <= config.upstream().maxRetries())
                .recoverWithMulti(failure -> {
                    long delay = delay((ChatFailure) failure, attempts.made);
                    LOG.debugf("Chat upstream attempt %s failed (%s); retrying in %s ms", (Object) attempts.made,
                            failure.getMessage(), delay);
                    return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(delay))
                            .onItem().transformToMulti(ignored -> attempt(api, body, authorization, attempts));
                });
    }

    private long delay(ChatFailure failure, int attempt) {
        long max = config.upstream().maxRetryDelay().toMillis();
        long backoff = Math.min(max, config.upstream().retryDelay().toMillis() << Math.min(attempt - 1, 10));
        return failure.retryAfterMillis() >= 0 ? Math.min(max, failure.retryAfterMillis()) : backoff;
    }

    Throwable classify(Throwable failure) {
        if (failure instanceof ChatFailure) {
            return failure;
        }
        if (failure instanceof RemoteError refused) {
            int status = refused.status();
            String detail = refused.errorMessage() == null ? "" : ": " + refused.errorMessage();
            if (status == 429) {
                return new ChatFailure(ChatFailure.RATE_LIMITED, "The model server is rate limiting requests (429)"
                        + detail + ".", true, retryAfter(refused.retryAfter()));
            }
            if (status >= 500) {
                return new ChatFailure(ChatFailure.SERVER_ERROR, "The model server failed (" + status + ")" + detail + ".",
                        true, retryAfter(refused.retryAfter()));
            }
            if (status == 400 || status == 413 || status == 422) {
                return new ChatFailure(ChatFailure.INVALID_PROMPT, "The model server refused the prompt (" + status + ")"
                        + detail + ".", false, -1);
            }
            return new ChatFailure(ChatFailure.SERVER_ERROR, "The model server refused the request (" + status + ")"
                    + detail + ".", false, -1);
        }
        if (failure instanceof TimeoutException) {
            return ChatFailure.server("The model server did not answer in time.");
        }
        if (failure instanceof ProcessingException || failure instanceof java.io.IOException
                || failure.getCause() instanceof java.io.IOException) {
            boolean connect = failure.getCause() instanceof java.net.ConnectException
                    || String.valueOf(failure.getMessage()).contains("Connection refused");
            return new ChatFailure(ChatFailure.SERVER_ERROR, connect ? "The model server could not be reached."
                    : "The connection to the model server broke: " + failure.getMessage(), connect, -1);
        }
        LOG.warnf(failure, "Unexpected failure from the chat upstream");
        return ChatFailure.server("The model server's answer could not be read.");
    }

    static long retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return (long) (Double.parseDouble(header.strip()) * 1000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
