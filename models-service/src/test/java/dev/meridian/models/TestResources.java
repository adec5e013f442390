package dev.meridian.models;

import dev.meridian.testsupport.AdminStub;
import dev.meridian.testsupport.KafkaTestResource;
import dev.meridian.testsupport.OidcTestResource;
import dev.meridian.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Real PostgreSQL, real Kafka, locally verified tokens and admin-service's stand-in for every test of this module. */
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminStub.class, scope = TestResourceScope.GLOBAL)
public final class TestResources {
    private TestResources() {
    }
}
