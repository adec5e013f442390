package dev.meridian.models.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.meridian.common.api.models.Capability;
import dev.meridian.common.security.Projects;
import dev.meridian.models.entity.ModelEntry;
import dev.meridian.models.repository.ModelRepository;
import dev.meridian.testsupport.InjectKafka;
import dev.meridian.testsupport.KafkaBroker;
import dev.meridian.testsupport.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import dev.meridian.models.Fixtures;

/** The in-memory catalog (CatalogView): what a project sees is forgotten on this replica's commit and on an event. */
@QuarkusTest
class CatalogViewTest {

    @InjectKafka
    KafkaBroker kafka;

    @Inject
    ModelRepository models;

    @Test
    void aChangeCommittedHereIsSeenByTheNextRequest() {
        String member = Tokens.member(Fixtures.ORG);
        String id = Fixtures.ftId("seen-at-once");
        given().auth().oauth2(member).get("/v1/models").then().statusCode(200).body("data.id", not(hasItem(id)));
        given().auth().oauth2(member).get("/v1/models/" + id).then().statusCode(404);

        Fixtures.register(Fixtures.ORG, id);
        given().auth().oauth2(member).get("/v1/models").then().statusCode(200).body("data.id", hasItem(id));
        given().auth().oauth2(member).get("/v1/models/" + id).then().statusCode(200);

        given().auth().oauth2(Tokens.owner(Fixtures.ORG)).delete("/v1/models/" + id).then().statusCode(200);
        given().auth().oauth2(member).get("/v1/models").then().statusCode(200).body("data.id", not(hasItem(id)));
        given().auth().oauth2(member).get("/v1/models/" + id).then().statusCode(404);
    }

    @Test
    void aChangeMadeByAnotherReplicaIsSeenWhenItsEventArrives() {
        String member = Tokens.member(Fixtures.ORG);
        String id = Fixtures.ftId("elsewhere");
        given().auth().oauth2(member).get("/v1/models").then().statusCode(200).body("data.id", not(hasItem(id)));

        // another replica's commit: the row is there, but nothing on this replica saw it happen
        QuarkusTransaction.requiringNew().run(() -> {
            ModelEntry entry = new ModelEntry();
            entry.id = id;
            entry.created = 1_800_000_000L;
            entry.ownedBy = Fixtures.ORG;
            entry.orgId = Fixtures.ORG;
            entry.projectId = Projects.defaultFor(Fixtures.ORG);
            entry.capability = Capability.CHAT;
            entry.engine = "builtin";
            entry.registeredBy = "another-replica";
            entry.registeredAt = OffsetDateTime.now(ZoneOffset.UTC);
            models.persist(entry);
        });
        given().auth().oauth2(member).get("/v1/models").then().statusCode(200).body("data.id", not(hasItem(id)));
        given().auth().oauth2(Tokens.member(Fixtures.OTHER_ORG)).get("/v1/models").then().statusCode(200);

        String event = "{\"id\":\"" + id + "\",\"created\":1800000000,\"owned_by\":\"" + Fixtures.ORG + "\",\"org_id\":\""
                + Fixtures.ORG + "\",\"project_id\":\"" + Projects.defaultFor(Fixtures.ORG) + "\",\"capability\":\"chat\","
                + "\"engine\":\"builtin\",\"upstream_model\":null,\"actor\":\"another-replica\"}";
        Map<String, String> headers = Map.of("ce_specversion", "1.0", "ce_id", "evt_" + System.nanoTime(),
                "ce_source", "/meridian/models-service", "ce_type", "meridian.model.created", "content-type", "application/json");
        // sent again on each try: the replica's consumer reads from the latest offset once it has joined
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            kafka.send("meridian.models", id, event, headers);
            given().auth().oauth2(member).get("/v1/models").then().statusCode(200).body("data.id", hasItem(id));
        });
        given().auth().oauth2(member).get("/v1/models/" + id).then().statusCode(200);
    }
}
