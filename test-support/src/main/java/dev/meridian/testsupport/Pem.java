package dev.meridian.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Reads the test signing key pair from the classpath. */
final class Pem {

    private Pem() {
    }

    /** The base64 body of a PEM file, without armour lines or line breaks. */
    static String body(String resource) {
        try (InputStream in = Pem.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + resource);
            }
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PrivateKey privateKey(String resource) {
        try {
            byte[] der = Base64.getDecoder().decode(body(resource));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Unreadable test key " + resource, e);
        }
    }
}
