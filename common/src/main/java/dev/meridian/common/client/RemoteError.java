package dev.meridian.common.client;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meridian.common.api.ErrorResponse;

/**
 * An error answer (a 4xx or 5xx) from another Meridian service or an upstream server, as every REST client interface
 * maps it with its {@code @ClientExceptionMapper}: the status, {@code retry-after}, and the error as the body gave it,
 * read leniently (OpenAI's envelope, or the bare {@code "error": "…"} some model servers send). Callers decide what it
 * means for their own caller ({@link UpstreamErrors} for OpenAI-compatible upstreams).
 */
public class RemoteError extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String retryAfter;
    private final transient JsonNode error;

    public RemoteError(int status, String retryAfter, JsonNode error) {
        super("answered " + status + (error == null ? "" : ": " + error), null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
        this.error = error;
    }

    /** What a REST client's {@code @ClientExceptionMapper} answers for an error response. */
    public static RemoteError of(Response response) {
        JsonNode error = null;
        try {
            if (response.hasEntity()) {
                JsonNode body = JSON.readTree(response.readEntity(String.class));
                error = body == null || body.path("error").isMissingNode() ? null : body.get("error");
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            // not JSON, or no body left to read: the status says enough
        }
        return new RemoteError(response.getStatus(), response.getHeaderString(HttpHeaders.RETRY_AFTER), error);
    }

    public int status() {
        return status;
    }

    /** The {@code retry-after} header as sent, or null. */
    public String retryAfter() {
        return retryAfter;
    }

    /** A 4xx: the request was refused, the server is not failing. */
    public boolean refused() {
        return status >= 400 && status < 500;
    }

    /** The error's message: the envelope's {@code error.message}, or a bare {@code error} string; null if none. */
    public String errorMessage() {
        if (error == null) {
            return null;
        }
        String message = error.isTextual() ? error.asText() : error.path("message").asText("");
        return message.isEmpty() ? null : message;
    }

    /** The error as OpenAI's envelope, or null when the body held none. */
    public ErrorResponse envelope() {
        if (error == null || !error.isObject() || !error.path("message").isTextual()) {
            return null;
        }
        return ErrorResponse.of(error.path("message").asText(), error.path("type").asText(null),
                error.path("param").asText(null), error.path("code").asText(null));
    }
}
