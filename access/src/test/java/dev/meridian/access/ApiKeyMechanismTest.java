package dev.meridian.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ApiKeyMechanismTest {

    @Test
    void aBearerCredentialWithDotsThatIsNoCompactJwsIsRefusedBeforeOidcParsesIt() {
        for (String malformed : new String[] {"....", ".", "a.", "a..", ".b.c", "a.b", "a.b.c.d", "a.b!.c",
                "a.b.c.d.e.f", "a..c.d.", "a..c..e", "a...d.e", ".b.c.d.e", "a.b.c d", "a.b.c=", "a.b.é"}) {
            assertEquals(true, ApiKeyMechanism.malformedJwt("Bearer " + malformed), malformed);
        }
        for (String left : new String[] {"eyJ0.eyJ1.c2ln", "eyJ0.eyJ1.", "eyJ0..aXY.Y3Q.dGFn", "eyJ0.a2V5.aXY.Y3Q.dGFn",
                "a_-Z.0-9_.", "opaque-token", "sk-proj-abc"}) {
            assertEquals(false, ApiKeyMechanism.malformedJwt("Bearer " + left), left);
        }
        assertEquals(false, ApiKeyMechanism.malformedJwt(null));
        assertEquals(false, ApiKeyMechanism.malformedJwt("Basic a.b"));
    }
}
