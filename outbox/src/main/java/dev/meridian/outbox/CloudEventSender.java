package dev.meridian.outbox;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.meridian.common.events.CloudEvent;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Writes one outbox row to its topic as a binary-mode CloudEvent (attributes as {@code ce_*}
 * headers, the JSON data as the value, the resource id as the key). A bean of its own so that the
 * emitter is only looked up once messaging is wired, not when the relay is first touched.
 */
@ApplicationScoped
class CloudEventSender {

    @Inject
    @Channel("meridian-events")
    Emitter<String> emitter;

    /** @return completes when Kafka acknowledged the record, fails when it refused it */
    CompletableFuture<Void> send(OutboxEvent row) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        OutgoingCloudEventMetadata<Object> ce = OutgoingCloudEventMetadata.builder()
                .withId(row.id)
                .withSource(URI.create(row.source))
                .withType(row.type)
                .withSubject(row.subject)
                .withTimestamp(row.time.toZonedDateTime())
                .withDataContentType(CloudEvent.DATA_CONTENT_TYPE)
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String> builder()
                .withTopic(row.topic)
                .withKey(row.key)
                .build();
        Message<String> message = Message.of(row.data)
                .withAck(() -> {
                    ack.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    ack.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                })
                .addMetadata(ce)
                .addMetadata(kafka);
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            ack.completeExceptionally(e);
        }
        return ack;
    }
}
