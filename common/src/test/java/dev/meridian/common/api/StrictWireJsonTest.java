package dev.meridian.common.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.meridian.common.error.ErrorMappers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

class StrictWireJsonTest {

    record Body(Integer n, String prompt, Double temperature, long created) {
    }

    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictWireJson().customize(mapper);
        return mapper;
    }

    @Test
    void requestsAreReadStrictly() throws Exception {
        ObjectMapper strict = strict();
        assertEquals(new Body(3, "p", 0.5, 1), strict.readValue(
                "{\"n\":3,\"prompt\":\"p\",\"temperature\":0.5,\"created\":1}", Body.class));
        for (String body : new String[] {"{\"n\":\"3\"}", "{\"n\":1.5}", "{\"prompt\":123}", "{\"prompt\":true}",
            "{\"temperature\":\"\"}", "{\"created\":1.7E9}", "{\"n\":1} {\"n\":2}"}) {
            assertThrows(MismatchedInputException.class, () -> strict.readValue(body, Body.class), body);
        }
    }

    @Test
    void upstreamAnswersAreReadTolerantlyAndTheStrictMapperStaysStrict() throws Exception {
        ObjectMapper strict = strict();
        ObjectMapper tolerant = StrictWireJson.tolerant(strict);
        assertEquals(new Body(3, "123", null, 1_700_000_000L), tolerant.readValue(
                "{\"n\":\"3\",\"prompt\":123,\"temperature\":\"\",\"created\":1.7E9} trailing", Body.class));
        assertThrows(MismatchedInputException.class, () -> strict.readValue("{\"n\":\"3\"}", Body.class));
    }

    record Named(String name, java.util.List<String> tags, java.util.Map<String, String> metadata) {
    }

    @Test
    void textWithNulIsRefusedWithItsPathAndOnlyByTheStrictMapper() throws Exception {
        ObjectMapper strict = strict();
        for (String[] body : new String[][] {{"{\"name\":\"a\\u0000b\"}", "name"},
            {"{\"tags\":[\"ok\",\"\\u0000\"]}", "tags[1]"}, {"{\"metadata\":{\"k\":\"v\\u0000\"}}", "metadata.k"}}) {
            InvalidFormatException refused = assertThrows(InvalidFormatException.class,
                    () -> strict.readValue(body[0], Named.class), body[0]);
            // what the caller gets: a 400 naming the field
            jakarta.ws.rs.core.Response response = new ErrorMappers().wrongFormat(refused);
            assertEquals(400, response.getStatus());
            assertEquals(ErrorResponse.of("Invalid value for '" + body[1] + "': text cannot contain the NUL character"
                    + " (\\u0000).", "invalid_request_error", body[1], null), response.getEntity());
        }
        assertEquals(new Named("a b", null, null), strict.readValue("{\"name\":\"a b\"}", Named.class));
        assertEquals("a\u0000b", StrictWireJson.tolerant(strict).readValue("{\"name\":\"a\\u0000b\"}", Named.class)
                .name());
        // a tree is read as it is: a moderation's input keeps its text
        assertEquals("a\u0000b", strict.readTree("{\"input\":\"a\\u0000b\"}").get("input").asText());
    }
}
