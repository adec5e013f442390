package dev.meridian.common.events;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event before it is written. On Kafka it travels in binary mode: the attributes
 * become {@code ce_*} headers, {@code data} is the JSON value, the record key is {@link #key()}.
 *
 * @param key Kafka record key: the id of the resource the event is about, so one resource's events stay ordered
 */
public record CloudEvent<T>(
        String id,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String key,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";

    public static <T> CloudEvent<T> of(String source, String type, String resourceId, T data) {
        return new CloudEvent<>(UUID.randomUUID().toString(), source, type, resourceId,
                OffsetDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MILLIS), resourceId, data);
    }
}
