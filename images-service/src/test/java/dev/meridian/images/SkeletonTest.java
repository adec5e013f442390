package dev.meridian.images;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meridian.testsupport.Envelopes;
import dev.meridian.testsupport.OidcTestResource;
import dev.meridian.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = OidcTestResource.class, scope = TestResourceScope.GLOBAL)
class SkeletonTest {

    @Test
    void isLiveAndReady() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void unknownRoutesGetTheOpenAiEnvelope() {
        Map<String, Object> body = given().auth().oauth2(Tokens.member("org-acme"))
                .when().get("/v1/nope").then().statusCode(404).extract().as(Map.class);
        assertEquals(Envelopes.invalidRequest("Invalid URL (GET /v1/nope)", null, null), body);
    }
}
