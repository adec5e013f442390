package dev.meridian.moderation;

import dev.meridian.testsupport.CatalogStub;
import dev.meridian.testsupport.KafkaTestResource;
import dev.meridian.testsupport.OidcTestResource;
import dev.meridian.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Real PostgreSQL and Kafka, signed test tokens, and stubs for the catalog, the upstream and an image host. */
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogStub.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = dev.meridian.testsupport.AdminStub.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamModerationStub.class, scope = TestResourceScope.GLOBAL)
public final class TestResources {
    private TestResources() {
    }
}
