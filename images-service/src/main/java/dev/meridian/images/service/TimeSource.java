package dev.meridian.images.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/** The clock URL expiry is judged by; a bean so that tests can move time. */
@ApplicationScoped
public class TimeSource {

    public Instant now() {
        return Instant.now();
    }
}
