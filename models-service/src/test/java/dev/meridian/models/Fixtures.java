package dev.meridian.models;

import static io.restassured.RestAssured.given;

import java.util.Map;

import dev.meridian.testsupport.Tokens;
import io.restassured.http.ContentType;

/** Registers fine-tuned models through the admin API, as an org owner would. */
public final class Fixtures {

    public static final String ORG = "org-acme";
    public static final String OTHER_ORG = "org-other";

    private Fixtures() {
    }

    public static String register(String org, String id) {
        given().auth().oauth2(Tokens.owner(org))
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "capability", "chat", "engine", "builtin"))
                .when().post("/admin/v1/models")
                .then().statusCode(201);
        return id;
    }

    /** A unique fine-tuned id with the colons OpenAI's ids carry. */
    public static String ftId(String suffix) {
        return "ft:gpt-4o-mini:acme:" + suffix + ":" + Long.toString(System.nanoTime(), 36);
    }
}
