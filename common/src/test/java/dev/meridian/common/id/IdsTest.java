package dev.meridian.common.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void prefixUnderscoreAnd24Base62Characters() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Ids.next("asst");
            assertTrue(id.matches("asst_[0-9A-Za-z]{24}"), id);
            seen.add(id);
        }
        assertEquals(10_000, seen.size());
    }
}
