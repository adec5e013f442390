package dev.meridian.assistants;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import dev.meridian.testsupport.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Requests as the official SDKs send them: bearer token, JSON, {@code OpenAI-Beta: assistants=v2}. */
public final class Api {

    private Api() {
    }

    /** A fresh org per test class keeps lists independent of other tests. */
    public static String newOrg() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static RequestSpecification as(String org) {
        return given().auth().oauth2(Tokens.member(org)).header("OpenAI-Beta", "assistants=v2").contentType(ContentType.JSON);
    }

    public static Map<String, Object> json(Response response) {
        return response.as(Map.class);
    }

    public static String createAssistant(String org, Object body) {
        return as(org).body(body).post("/v1/assistants").then().statusCode(200).extract().path("id");
    }
}
