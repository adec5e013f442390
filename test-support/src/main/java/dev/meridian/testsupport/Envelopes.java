package dev.meridian.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

/** The exact OpenAI error envelope, as a map to compare a parsed response body with. */
public final class Envelopes {

    private Envelopes() {
    }

    public static Map<String, Object> error(String message, String type, String param, String code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Map.of("error", error);
    }

    public static Map<String, Object> invalidRequest(String message, String param, String code) {
        return error(message, "invalid_request_error", param, code);
    }
}
