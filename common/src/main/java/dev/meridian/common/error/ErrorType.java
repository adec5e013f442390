package dev.meridian.common.error;

/** The {@code type} values OpenAI's error envelope uses. */
public final class ErrorType {
    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String AUTHENTICATION = "invalid_request_error";
    public static final String SERVER = "server_error";

    private ErrorType() {
    }
}
