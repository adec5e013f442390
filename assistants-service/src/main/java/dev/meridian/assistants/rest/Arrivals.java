package dev.meridian.assistants.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Stamps each request with the time it arrived, before authentication and body reading, so that a run's stream can
 * tell how long its first delta took from the caller's point of view ({@code meridian.runs.first_delta}).
 */
@ApplicationScoped
public class Arrivals {

    private static final String KEY = "meridian.arrived";

    void stamp(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            context.put(KEY, System.nanoTime());
            context.next();
        });
    }

    /** When the request arrived ({@link System#nanoTime()}), or 0 if it was not stamped. */
    static long of(RoutingContext context) {
        Long arrived = context == null ? null : context.get(KEY);
        return arrived == null ? 0 : arrived;
    }
}
