package dev.meridian.common.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
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
}
