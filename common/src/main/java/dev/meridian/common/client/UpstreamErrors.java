package dev.meridian.common.client;

import org.jboss.logging.Logger;

import dev.meridian.common.api.ErrorResponse;
import dev.meridian.common.error.ApiException;
import dev.meridian.common.error.ErrorType;

/**
 * How an error answer from an OpenAI-compatible upstream reaches our caller. The upstream's 400 is about the request,
 * so the caller gets it as our envelope, param and code kept; a 401 or 403 is about this server's credentials, so the
 * caller gets a 502 and the operators a log line. Anything else is the upstream failing: worth a retry.
 */
public final class UpstreamErrors {

    private static final Logger LOG = Logger.getLogger(UpstreamErrors.class);

    private UpstreamErrors() {
    }

    /** The envelope for the caller, or null when the answer is a failure of the upstream itself. */
    public static ApiException translate(RemoteError e, String upstream) {
        int status = e.status();
        if (status == 400) {
            ErrorResponse error = e.envelope();
            if (error != null && error.error() != null && error.error().message() != null) {
                return ApiException.invalid(error.error().param(), error.error().message(), error.error().code());
            }
        }
        if (status == 401 || status == 403) {
            LOG.errorf("The %s refused our credentials (%d)", upstream, status);
            return new ApiException(502, ErrorType.SERVER, "The " + upstream + " refused this server's credentials;"
                    + " the platform operators have to fix its configuration.", null, null);
        }
        return null;
    }
}
