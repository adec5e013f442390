package dev.meridian.moderation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ImageInputsTest {

    @Test
    void theFetchDeadlineIsNamedInSecondsAsConfigured() {
        assertEquals("5", ImageInputs.seconds(Duration.ofSeconds(5)));
        assertEquals("1.5", ImageInputs.seconds(Duration.ofMillis(1500)));
        assertEquals("0.25", ImageInputs.seconds(Duration.ofMillis(250)));
        assertEquals("120", ImageInputs.seconds(Duration.ofMinutes(2)));
    }
}
