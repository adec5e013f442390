package dev.meridian.common.error;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every response carries {@code x-request-id}, as OpenAI's do. The edge's id is kept when it sent a
 * sane one, so a request can be followed across the edge and the service logs.
 */
public class RequestIds {

    public static final String HEADER = "x-request-id";
    private static final String PROPERTY = RequestIds.class.getName();
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9_\\-]{8,64}");

    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext request) {
        String incoming = request.getHeaderString(HEADER);
        request.setProperty(PROPERTY, incoming != null && SANE.matcher(incoming).matches() ? incoming : newId());
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle(HEADER, of(request));
    }

    public static String of(ContainerRequestContext request) {
        Object id = request.getProperty(PROPERTY);
        if (id == null) {
            id = newId();
            request.setProperty(PROPERTY, id);
        }
        return id.toString();
    }

    private static String newId() {
        return "req_" + UUID.randomUUID().toString().replace("-", "");
    }
}
