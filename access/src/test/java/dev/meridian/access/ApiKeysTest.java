package dev.meridian.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void keysCarry256RandomBitsAfterTheirPrefix() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeys.generate(ApiKeys.USER_PREFIX);
            assertTrue(key.matches("sk-proj-[A-Za-z0-9_-]{43}"), key);
            assertTrue(seen.add(key));
        }
    }

    @Test
    void theHashIsSha256InHex() {
        // echo -n abc | sha256sum
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.hash("abc"));
        assertNotEquals(ApiKeys.hash("sk-proj-a"), ApiKeys.hash("sk-proj-b"));
    }

    @Test
    void redactionKeepsThePrefixAndTheLastFour() {
        assertEquals("sk-proj-…wxyz", ApiKeys.redact("sk-proj-abcdefghijklmnopqrstuvwxyz"));
        assertEquals("sk-svcacct-…wxyz", ApiKeys.redact("sk-svcacct-abcdefghijklmnopqrstuvwxyz"));
        assertEquals("sk-admin-…wxyz", ApiKeys.redact("sk-admin-abcdefghijklmnopqrstuvwxyz"));
        assertEquals("sk-…wxyz", ApiKeys.redact("sk-abcdefghijklmnopqrstuvwxyz"));
        // too short to show any of it
        assertEquals("sk-proj-…", ApiKeys.redact("sk-proj-abc"));
    }

    @Test
    void onlyBearerSkCredentialsAreTakenAsKeys() {
        assertEquals("sk-proj-x", ApiKeyMechanism.key("Bearer sk-proj-x"));
        assertEquals("sk-proj-x", ApiKeyMechanism.key("bearer  sk-proj-x "));
        assertEquals(null, ApiKeyMechanism.key("Bearer eyJhbGciOi"));
        assertEquals(null, ApiKeyMechanism.key("Basic sk-proj-x"));
        assertEquals(null, ApiKeyMechanism.key(null));
        assertFalse(ApiKeys.looksLikeKey("ey.sk-"));
    }
}
