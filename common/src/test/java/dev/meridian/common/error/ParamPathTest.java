package dev.meridian.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/** Bean Validation paths become the parameter names a caller sent. */
class ParamPathTest {

    record Function(@Pattern(regexp = "[a-z]+") String name) {
    }

    record Tool(@Valid Function function) {
    }

    record Body(@Size(max = 3) String topP, List<@Valid Tool> tools, Map<String, @Size(max = 2) String> metadata) {
    }

    static class Resource {
        public void create(@Valid @NotNull Body body, @Max(100) Integer limit) {
        }
    }

    static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory().getValidator();

    @Test
    void bodyPropertiesLoseTheMethodAndParameterAndBecomeSnakeCase() throws Exception {
        Body body = new Body("toolong", List.of(), Map.of());
        assertEquals("top_p", paramOf(body, null));
    }

    @Test
    void listElementsCarryTheirIndex() throws Exception {
        Body body = new Body(null, List.of(new Tool(new Function("ok")), new Tool(new Function("NOT OK"))), Map.of());
        assertEquals("tools[1].function.name", paramOf(body, null));
    }

    @Test
    void mapValuesCarryTheirKey() throws Exception {
        Body body = new Body(null, List.of(), Map.of("team", "toolong"));
        assertEquals("metadata.team", paramOf(body, null));
    }

    @Test
    void queryParametersKeepTheirName() throws Exception {
        assertEquals("limit", paramOf(new Body(null, List.of(), Map.of()), 500));
    }

    @Test
    void missingBodyIsNamedBody() throws Exception {
        assertEquals("body", paramOf(null, null));
    }

    @Test
    void camelCaseBecomesSnakeCase() {
        assertEquals("tool_resources", ErrorMappers.snake("toolResources"));
        assertEquals("n", ErrorMappers.snake("n"));
    }

    private static String paramOf(Body body, Integer limit) throws Exception {
        var method = Resource.class.getMethod("create", Body.class, Integer.class);
        var violations = VALIDATOR.forExecutables().validateParameters(new Resource(), method, new Object[] { body, limit });
        assertEquals(1, violations.size(), violations::toString);
        ConstraintViolation<Resource> violation = violations.iterator().next();
        return ErrorMappers.param(violation.getPropertyPath());
    }
}
