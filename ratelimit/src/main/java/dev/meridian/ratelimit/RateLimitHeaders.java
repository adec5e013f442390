package dev.meridian.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** The {@code x-ratelimit-*} headers of this request's admission, added to its response, whatever its status. */
@RequestScoped
public class RateLimitHeaders {

    private final Map<String, String> headers = new LinkedHashMap<>();

    void put(String name, String value) {
        headers.put(name, value);
    }

    Map<String, String> all() {
        return headers;
    }

    static class Filter {

        @Inject
        RateLimitHeaders headers;

        @ServerResponseFilter
        public void addHeaders(ContainerResponseContext response) {
            headers.all().forEach((name, value) -> {
                if (!response.getHeaders().containsKey(name)) {
                    response.getHeaders().putSingle(name, value);
                }
            });
        }
    }
}
