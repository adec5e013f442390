package dev.meridian.common.error;

import io.quarkus.security.AuthenticationFailedException;

/**
 * Why a presented credential was refused, in the words the 401 envelope carries; it travels as the cause of the
 * {@link AuthenticationFailedException} that the authenticator fails with.
 */
public class CredentialRejected extends RuntimeException {

    public CredentialRejected(String message) {
        super(message, null, false, false);
    }

    public static AuthenticationFailedException failure(String message) {
        return new AuthenticationFailedException(message, new CredentialRejected(message));
    }
}
