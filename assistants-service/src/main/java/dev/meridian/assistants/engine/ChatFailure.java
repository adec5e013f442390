package dev.meridian.assistants.engine;

/**
 * A turn that could not be answered, with the {@code last_error.code} a run reports for it:
 * {@code server_error}, {@code rate_limit_exceeded} or {@code invalid_prompt}.
 */
public class ChatFailure extends RuntimeException {

    public static final String SERVER_ERROR = "server_error";
    public static final String RATE_LIMITED = "rate_limit_exceeded";
    public static final String INVALID_PROMPT = "invalid_prompt";

    private final String code;
    private final boolean retryable;
    private final long retryAfterMillis;

    public ChatFailure(String code, String message, boolean retryable, long retryAfterMillis) {
        super(message, null, false, false);
        this.code = code;
        this.retryable = retryable;
        this.retryAfterMillis = retryAfterMillis;
    }

    public static ChatFailure server(String message) {
        return new ChatFailure(SERVER_ERROR, message, false, -1);
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The delay the upstream asked for ({@code retry-after}), or -1. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
