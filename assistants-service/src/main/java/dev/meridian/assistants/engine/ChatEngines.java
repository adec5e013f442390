package dev.meridian.assistants.engine;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** The chat engines by name, as catalog bindings refer to them. */
@ApplicationScoped
public class ChatEngines {

    private final Map<String, ChatEngine> byName;

    @Inject
    ChatEngines(Instance<ChatEngine> engines) {
        byName = engines.stream().collect(Collectors.toUnmodifiableMap(ChatEngine::name, Function.identity()));
    }

    /** The engine, or a failure naming the binding, which the run reports as its error. */
    public ChatEngine get(String name) {
        ChatEngine engine = byName.get(name);
        if (engine == null) {
            throw ChatFailure.server("The model is bound to engine '" + name + "', which this server does not have.");
        }
        return engine;
    }
}
