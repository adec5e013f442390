package dev.meridian.images;

import dev.meridian.testsupport.CatalogStub;
import dev.meridian.testsupport.KafkaTestResource;
import dev.meridian.testsupport.ModerationStub;
import dev.meridian.testsupport.OidcTestResource;
import dev.meridian.testsupport.PostgresTestResource;
import dev.meridian.images.UpstreamImagesStub;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Real PostgreSQL and Kafka, local tokens, and stand-ins for models-service and moderation-service. */
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogStub.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = dev.meridian.testsupport.AdminStub.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ModerationStub.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamImagesStub.class, scope = TestResourceScope.GLOBAL)
public final class TestResources {
    private TestResources() {
    }
}
