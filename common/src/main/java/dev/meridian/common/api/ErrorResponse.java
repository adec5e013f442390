package dev.meridian.common.api;

/** {@code {"error":{"message","type","param","code"}}}: every failure the platform returns. */
public record ErrorResponse(ApiError error) {

    public static ErrorResponse of(String message, String type, String param, String code) {
        return new ErrorResponse(new ApiError(message, type, param, code));
    }
}
