package dev.meridian.images.engine;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.meridian.common.error.ApiException;

/** The image engines this service has, by the name the catalog binds models to. */
@ApplicationScoped
public class Engines {

    private final Map<String, ImageEngine> byName;

    @Inject
    Engines(Instance<ImageEngine> engines) {
        this.byName = engines.stream().collect(Collectors.toMap(ImageEngine::name, Function.identity()));
    }

    public ImageEngine get(String name, String model) {
        ImageEngine engine = byName.get(name);
        if (engine == null) {
            throw ApiException.invalid("model", "The model '" + model + "' is bound to the image engine '" + name
                    + "', which this server does not provide.", "unsupported_model");
        }
        return engine;
    }
}
