package dev.meridian.models.rest;

import static dev.meridian.testsupport.Envelopes.invalidRequest;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.PrometheusText;
import dev.meridian.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import dev.meridian.models.Fixtures;

/** The cache of verified tokens (access's VerifiedTokens): used, per token, and never past a token's expiry. */
@QuarkusTest
class VerifiedTokensTest {

    private static final String TOKENS = "meridian_access_tokens_total";

    @Test
    void aTokenIsVerifiedOnceThenAnsweredFromMemoryUntilItExpires() {
        String token = Tokens.expiringIn(Fixtures.ORG, Duration.ofSeconds(3));
        PrometheusText before = PrometheusText.scrape();
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/v1/models/gpt-4o").then().statusCode(200);
        }
        PrometheusText after = PrometheusText.scrape();
        assertEquals(1, after.since(before, TOKENS, "result", "verified-now"));
        assertEquals(2, after.since(before, TOKENS, "result", "verified-before"));

        // past its exp the token is refused, although it was kept: the entry lives no longer than the token
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Response response = given().auth().oauth2(token).get("/v1/models/gpt-4o");
            response.then().statusCode(401);
            assertEquals(invalidRequest(ErrorEnvelopeTest.BAD_KEY, null, "invalid_api_key"), response.as(Map.class));
        });
    }

    @Test
    void eachTokenKeepsItsOwnIdentity() {
        String mine = Fixtures.register(Fixtures.ORG, Fixtures.ftId("cached-mine"));
        String theirs = Fixtures.register(Fixtures.OTHER_ORG, Fixtures.ftId("cached-theirs"));
        String member = Tokens.member(Fixtures.ORG);
        String other = Tokens.member(Fixtures.OTHER_ORG);
        for (int round = 0; round < 2; round++) { // the first round verifies both tokens, the second reads the cache
            given().auth().oauth2(member).get("/v1/models").then().statusCode(200)
                    .body("data.id", hasItem(mine)).body("data.id", not(hasItem(theirs)));
            given().auth().oauth2(other).get("/v1/models").then().statusCode(200)
                    .body("data.id", hasItem(theirs)).body("data.id", not(hasItem(mine)));
            given().auth().oauth2(other).get("/v1/models/" + mine).then().statusCode(404);
        }
    }

    @Test
    void aRejectedTokenIsNeverKept() {
        String stranger = Tokens.signedByStranger(Fixtures.ORG);
        PrometheusText before = PrometheusText.scrape();
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(stranger).get("/v1/models/gpt-4o").then().statusCode(401);
        }
        PrometheusText after = PrometheusText.scrape();
        assertEquals(2, after.since(before, TOKENS, "result", "verified-now"));
        assertEquals(0, after.since(before, TOKENS, "result", "verified-before"));
    }
}
