package dev.meridian.common.error;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.meridian.common.api.ErrorResponse;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one place where failures become OpenAI error envelopes. Each mapper is narrow; the last one
 * catches what nobody anticipated and answers 500 with a request id, logging the cause under that id.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    static final ErrorResponse TOO_LARGE = ErrorResponse.of(
            "Request too large: the body exceeds the size this endpoint accepts.", ErrorType.INVALID_REQUEST, null, null);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.toResponse());
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response unknownRoute(NotFoundException e, HttpServerRequest request) {
        return envelope(404, ErrorResponse.of(
                "Invalid URL (" + request.method().name() + " " + request.path() + ")",
                ErrorType.INVALID_REQUEST, null, null));
    }

    @ServerExceptionMapper
    public Response wrongMethod(NotAllowedException e, HttpServerRequest request) {
        Response response = envelope(405, ErrorResponse.of(
                "Invalid method for URL (" + request.method().name() + " " + request.path() + ")",
                ErrorType.INVALID_REQUEST, null, null));
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        return allow == null ? response : Response.fromResponse(response).header(HttpHeaders.ALLOW, allow).build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpServerRequest request) {
        String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return envelope(415, ErrorResponse.of(
                "Unsupported content type" + (sent == null ? "" : " '" + sent + "'")
                        + " for " + request.method().name() + " " + request.path() + ".",
                ErrorType.INVALID_REQUEST, null, null));
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e) {
        return envelope(406, ErrorResponse.of("This endpoint only produces application/json.",
                ErrorType.INVALID_REQUEST, null, null));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return invalidJson();
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        return typeMismatch(e);
    }

    @ServerExceptionMapper
    public Response wrongFormat(InvalidFormatException e) {
        return typeMismatch(e);
    }

    @ServerExceptionMapper
    public Response unmappable(JsonMappingException e) {
        return typeMismatch(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return invalidJson();
    }

    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .orElse(null);
        if (first == null) {
            return envelope(400, ErrorResponse.of("Invalid request.", ErrorType.INVALID_REQUEST, null, null));
        }
        String param = param(first.getPropertyPath());
        String message = param == null
                ? first.getMessage()
                : "Invalid '" + param + "': " + first.getMessage() + ".";
        return envelope(400, ErrorResponse.of(message, ErrorType.INVALID_REQUEST, param, null));
    }

    @ServerExceptionMapper
    public Response missingToken(UnauthorizedException e) {
        return unauthorized("You didn't provide an API key. You need to provide your API key in an Authorization header"
                + " using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e) {
        if (e != null && e.getCause() instanceof CredentialRejected rejected) {
            return unauthorized(rejected.getMessage());
        }
        return unauthorized("Incorrect API key provided: the bearer token is invalid, expired or not issued for this API.");
    }

    @ServerExceptionMapper
    public Response badTokenCompletion(AuthenticationCompletionException e) {
        return badToken(null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return envelope(403, ErrorResponse.of("You have insufficient permissions for this operation.",
                ErrorType.INVALID_REQUEST, null, null));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request, ContainerRequestContext context) {
        int status = e.getResponse().getStatus();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonMappingException mapping) {
                return typeMismatch(mapping);
            }
            if (cause instanceof JsonProcessingException) {
                return invalidJson();
            }
        }
        if (status >= 500) {
            return unexpected(e, context);
        }
        if (status == 413) {
            return envelope(413, TOO_LARGE);
        }
        Response.StatusType reason = Response.Status.fromStatusCode(status);
        String text = reason == null ? "Invalid request" : reason.getReasonPhrase();
        return envelope(status, ErrorResponse.of(text + " (" + request.method().name() + " " + request.path() + ")",
                ErrorType.INVALID_REQUEST, null, null));
    }

    /**
     * A chunked body that grows past {@code max-body-size} is cut off while it is read (it is never
     * buffered whole); the HTTP layer reports that as this IOException.
     */
    @ServerExceptionMapper
    public Response unreadableBody(java.io.IOException e, ContainerRequestContext context) {
        if ("Request too large".equals(e.getMessage())) {
            return envelope(413, TOO_LARGE);
        }
        if (e.getMessage() != null && e.getMessage().contains("multipart")) {
            // a truncated or malformed multipart body, which the HTTP layer could not parse
            return envelope(400, ErrorResponse.of("The request body is not a well-formed multipart/form-data body: "
                    + e.getMessage() + ".", ErrorType.INVALID_REQUEST, null, null));
        }
        return unexpected(e, context);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, ContainerRequestContext context) {
        String requestId = RequestIds.of(context);
        if (databaseUnavailable(e)) {
            LOG.warnf("Database unavailable [%s]: %s", requestId, e.getMessage());
            return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE).header("retry-after", "1")
                    .entity(ErrorResponse.of("The service's database is temporarily unavailable. Please retry your request"
                            + " shortly (request id " + requestId + ").", ErrorType.SERVER, null, null))
                    .build();
        }
        if (sqlState(e, "22021") || sqlState(e, "22P05")) {
            // a NUL character in a text field the JSON layer let through (PostgreSQL text cannot hold it)
            return envelope(400, ErrorResponse.of("Text fields cannot contain the NUL character (\\u0000).",
                    ErrorType.INVALID_REQUEST, null, null));
        }
        LOG.errorf(e, "Unexpected failure [%s]", requestId);
        return envelope(500, ErrorResponse.of(
                "The server had an error while processing your request. You can retry your request, or contact the"
                        + " platform operators with the request id " + requestId + " if the error persists.",
                ErrorType.SERVER, null, null));
    }

    /**
     * No connection to PostgreSQL could be had or kept: the pool timed out, the server refused (SQL states 08…,
     * {@code 53300} too many connections, {@code 57P0x} shutting down): a 503, which clients retry, instead of a 500.
     */
    public static boolean databaseUnavailable(Throwable failure) {
        return anyCause(failure, cause -> cause instanceof java.sql.SQLTransientConnectionException
                || cause instanceof java.sql.SQLNonTransientConnectionException
                || cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                        && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("53300")
                                || sql.getSQLState().startsWith("57P0")));
    }

    static boolean sqlState(Throwable failure, String state) {
        return anyCause(failure, cause -> cause instanceof java.sql.SQLException sql && state.equals(sql.getSQLState()));
    }

    /**
     * Whether the failure or anything that caused it passes the test: its causes and also its suppressed throwables,
     * since a transaction manager reports why a commit failed that way (Narayana's {@code HeuristicMixedException},
     * and its {@code RollbackException} when it kept no single cause, carry the resource's {@code XAException} and
     * the connection's {@code SQLException} only as suppressed).
     */
    private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> pending = new ArrayDeque<>();
        pending.add(failure);
        while (!pending.isEmpty() && seen.size() < 64) {
            Throwable next = pending.poll();
            if (!seen.add(next)) {
                continue;
            }
            if (test.test(next)) {
                return true;
            }
            if (next.getCause() != null) {
                pending.add(next.getCause());
            }
            pending.addAll(Arrays.asList(next.getSuppressed()));
        }
        return false;
    }

    private static Response unauthorized(String message) {
        return Response.status(401)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(ErrorResponse.of(message, ErrorType.AUTHENTICATION, null, "invalid_api_key"))
                .build();
    }

    private static Response invalidJson() {
        return envelope(400, ErrorResponse.of(
                "We could not parse the JSON body of your request. The API expects a JSON payload, but what was sent"
                        + " was not valid JSON.",
                ErrorType.INVALID_REQUEST, null, null));
    }

    private static Response typeMismatch(JsonMappingException e) {
        String param = jsonPath(e);
        if (param == null) {
            return invalidJson();
        }
        String expected = e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                ? describe(mismatch.getTargetType())
                : "a different value";
        String message = "Invalid type for '" + param + "': expected " + expected + ".";
        if (e.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException coercion) {
            // a number the field's type cannot hold (n: 1e10 or 99999999999)
            String type = coercion.getTargetType() == null ? "a number" : describe(coercion.getTargetType());
            message = "Invalid '" + param + "': the number is out of range for " + type + ".";
        }
        if (e instanceof InvalidFormatException format && format.getValue() instanceof String text
                && text.indexOf('\u0000') >= 0) {
            message = ApiException.textWithNul(param).getMessage();
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            message = "Invalid value for '" + param + "': '" + format.getValue() + "' is not one of the supported values.";
        }
        return envelope(400, ErrorResponse.of(message, ErrorType.INVALID_REQUEST, param, null));
    }

    private static String describe(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    /**
     * Turns a Bean Validation path such as {@code create.request.tools[3].function.name} into the wire
     * name a caller sent ({@code tools[3].function.name}): the method node goes, a body parameter's
     * name goes, a query or path parameter keeps its name, Java names become snake_case.
     */
    static String param(Path path) {
        StringBuilder out = new StringBuilder();
        String pendingParameter = null;
        for (Iterator<Path.Node> it = path.iterator(); it.hasNext();) {
            Path.Node node = it.next();
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (kind == ElementKind.PARAMETER || kind == ElementKind.CROSS_PARAMETER) {
                pendingParameter = node.getName();
                continue;
            }
            if (node.isInIterable()) {
                if (node.getIndex() != null) {
                    out.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    out.append('.').append(node.getKey());
                }
            }
            if (kind == ElementKind.PROPERTY && node.getName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(snake(node.getName()));
            }
        }
        if (out.isEmpty()) {
            return pendingParameter == null ? null : snake(pendingParameter);
        }
        return out.toString();
    }

    static String snake(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static Response envelope(int status, ErrorResponse body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
