package dev.meridian.moderation;

import dev.meridian.common.MeridianMain;
import dev.meridian.moderation.engine.BuiltinModels;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * moderation-service's entry point ({@code quarkus.package.main-class}): the built-in models start loading on threads
 * of their own before Quarkus boots, so that on two cores they load while the framework starts rather than after it;
 * then the start every Meridian service makes ({@link MeridianMain}).
 */
@QuarkusMain(name = "moderation-service")
public class ModerationMain {

    public static void main(String... args) {
        BuiltinModels.loadEarly();
        MeridianMain.main(args);
    }
}
