package dev.meridian.common;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The entry point of every Meridian service and of the edge. Quarkus refuses a URI that {@link java.net.URI} cannot
 * parse (a broken percent-escape such as {@code /v1/models/%}) with a bare 400 before any handler runs, unless the
 * JVM-wide {@code vertx.disableURIValidation} is set. It is set here, and
 * {@link dev.meridian.common.error.HttpErrorRoutes} refuses the same URIs first, with OpenAI's envelope. Tests do not
 * start through this class: the build's surefire configuration sets the property for them.
 */
@QuarkusMain
public class MeridianMain {

    public static void main(String... args) {
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
