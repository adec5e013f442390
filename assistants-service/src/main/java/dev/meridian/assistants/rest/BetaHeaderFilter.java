package dev.meridian.assistants.rest;

import java.util.Arrays;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.meridian.assistants.config.AssistantsConfig;
import dev.meridian.common.api.ErrorResponse;
import dev.meridian.common.error.ErrorType;

/**
 * The Assistants API answers only callers that ask for v2 with {@code OpenAI-Beta: assistants=v2},
 * as OpenAI's does (the SDKs send the header). Runs for matched resources only, so unknown routes
 * still get their 404.
 */
public class BetaHeaderFilter {

    public static final String HEADER = "OpenAI-Beta";

    @Inject
    AssistantsConfig config;

    @ServerRequestFilter
    public Response requireV2(ContainerRequestContext request) {
        if (!config.requireBetaHeader()) {
            return null;
        }
        String header = request.getHeaderString(HEADER);
        String[] betas = header == null ? new String[0] : header.split(",");
        if (Arrays.stream(betas).map(String::trim).anyMatch("assistants=v2"::equals)) {
            return null;
        }
        boolean v1 = Arrays.stream(betas).map(String::trim).anyMatch("assistants=v1"::equals);
        String message = v1
                ? "The v1 Assistants API has been deprecated in favor of the v2 API. Please try again by setting the"
                        + " header 'OpenAI-Beta: assistants=v2'."
                : "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting"
                        + " the header 'OpenAI-Beta: assistants=v2'.";
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorResponse.of(message, ErrorType.INVALID_REQUEST, null, "invalid_beta"))
                .build();
    }
}
