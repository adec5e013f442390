package dev.meridian.images.messaging;

import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static dev.meridian.testsupport.KafkaBroker.header;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.meridian.images.entity.StoredImage;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import dev.meridian.testsupport.Tokens;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The loop's images side: meridian.content.flagged arrives, the image is revoked, meridian.image.revoked follows. */
@QuarkusTest
class RevocationTest {

    static final String ORG = "org-revoke";

    @InjectKafka
    KafkaBroker kafka;

    @Test
    void flaggedImageStopsBeingServedAndRevocationIsPublishedOnce() throws Exception {
        String url = generate();
        String id = idOf(url);
        get(url).then().statusCode(200);

        String eventId = UUID.randomUUID().toString();
        flag(eventId, id, ORG);
        Response gone = awaitStatus(url, 410);
        assertEquals(invalidRequest("This image is no longer available.", null, "image_unavailable"), gone.as(Map.class));

        List<ConsumerRecord<String, String>> revoked = kafka.await("meridian.images",
                r -> id.equals(r.key()) && "meridian.image.revoked".equals(header(r, "ce_type")), 1, Duration.ofSeconds(30));
        assertEquals(1, revoked.size());
        assertEquals("{\"image_id\":\"" + id + "\",\"org_id\":\"" + ORG + "\",\"categories\":[\"violence\"]}",
                revoked.get(0).value());
        Instant revokedAt = stored(id).revokedAt;
        assertNotNull(revokedAt);

        // the same event again, and another flag for the same image: nothing changes
        flag(eventId, id, ORG);
        flag(UUID.randomUUID().toString(), id, ORG);
        List<ConsumerRecord<String, String>> all = kafka.drain("meridian.images",
                r -> id.equals(r.key()) && "meridian.image.revoked".equals(header(r, "ce_type")), Duration.ofSeconds(4));
        assertEquals(1, all.size(), "revocation must be published once");
        assertEquals(revokedAt, stored(id).revokedAt);
    }

    @Test
    void aFlagNamingAnotherOrgDoesNotRevoke() throws Exception {
        String url = generate();
        String id = idOf(url);
        flag(UUID.randomUUID().toString(), id, "org-somebody-else");
        // a later, valid flag for another image proves the first one was processed before it
        String other = idOf(generate());
        flag(UUID.randomUUID().toString(), other, ORG);
        awaitRevoked(other);
        assertNull(stored(id).revokedAt);
        get(url).then().statusCode(200);
    }

    private void flag(String eventId, String imageId, String org) {
        kafka.send("meridian.moderations", imageId,
                "{\"image_id\":\"" + imageId + "\",\"org_id\":\"" + org + "\",\"categories\":[\"violence\"]}",
                Map.of("ce_specversion", "1.0", "ce_id", eventId, "ce_type", "meridian.content.flagged",
                        "ce_source", "/meridian/moderation-service", "ce_subject", imageId,
                        "content-type", "application/json"));
    }

    private static String generate() {
        return given().auth().oauth2(Tokens.member(ORG)).contentType(ContentType.JSON)
                .body(Map.of("prompt", "a harbour " + UUID.randomUUID(), "size", "256x256"))
                .post("/v1/images/generations").then().statusCode(200).extract().path("data[0].url");
    }

    private static String idOf(String url) {
        return url.replaceAll(".*/content/([^?]+)\\?.*", "$1");
    }

    private static Response get(String url) {
        URI uri = URI.create(url);
        return given().urlEncodingEnabled(false).get(uri.getRawPath() + "?" + uri.getRawQuery());
    }

    private static Response awaitStatus(String url, int status) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(url), response -> response.statusCode() == status);
    }

    private static void awaitRevoked(String id) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertNotNull(stored(id).revokedAt));
    }

    private static StoredImage stored(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager().find(StoredImage.class, id));
    }
}
