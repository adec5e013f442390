package dev.meridian.access;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An {@code sk-} key presented as a bearer credential. */
public class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
