package dev.meridian.common.error;

import dev.meridian.common.api.ErrorResponse;

/**
 * A failure the caller should see as an OpenAI error envelope. Services throw it; the global
 * mappers render it. The message is shown to the caller verbatim, so it must say what to fix.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private java.util.Map<String, String> headers = java.util.Map.of();

    public ApiException(int status, String type, String message, String param, String code) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: the request is wrong; {@code param} names the field to fix. */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, ErrorType.INVALID_REQUEST, message, param, null);
    }

    public static ApiException invalid(String param, String message, String code) {
        return new ApiException(400, ErrorType.INVALID_REQUEST, message, param, code);
    }

    /**
     * Text holding a NUL character (U+0000), which PostgreSQL's text cannot store: refused naming the parameter, by
     * the JSON reader for plain string fields and by the service for text read from a JSON tree.
     */
    public static ApiException textWithNul(String param) {
        return invalid(param, "Invalid value for '" + param + "': text cannot contain the NUL character (\\u0000).");
    }

    /** 404 for a resource addressed by id; {@code code} is e.g. {@code model_not_found}. */
    public static ApiException notFound(String param, String message, String code) {
        return new ApiException(404, ErrorType.INVALID_REQUEST, message, param, code);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, ErrorType.INVALID_REQUEST, message, null, null);
    }

    public static ApiException conflict(String param, String message, String code) {
        return new ApiException(409, ErrorType.INVALID_REQUEST, message, param, code);
    }

    /** A dependency is away for now: a 503 with {@code retry-after: 1}, as the database's 503 has, so clients back off. */
    public static ApiException unavailable(String message) {
        return new ApiException(503, ErrorType.SERVER, message, null, null).withHeaders(java.util.Map.of("retry-after", "1"));
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    /** Response headers that go with the envelope (a 429's {@code retry-after} and rate-limit headers). */
    public java.util.Map<String, String> headers() {
        return headers;
    }

    public ApiException withHeaders(java.util.Map<String, String> headers) {
        this.headers = java.util.Map.copyOf(headers);
        return this;
    }

    public ErrorResponse toResponse() {
        return ErrorResponse.of(getMessage(), type, param, code);
    }
}
