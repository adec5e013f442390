package dev.meridian.access;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.meridian.common.client.RemoteError;
import dev.meridian.common.error.ApiException;
import io.quarkus.arc.DefaultBean;

/**
 * admin-service asked over HTTP. A 401/403/404 is a definite "no"; anything else (no connection, a timeout, a 5xx)
 * is a 503 for this request, never a "no" that would be cached.
 */
@DefaultBean
@ApplicationScoped
public class RemoteDirectory implements Directory {

    private static final Logger LOG = Logger.getLogger(RemoteDirectory.class);

    @Inject
    @RestClient
    AdminApi admin;

    @Override
    public Optional<KeyGrant> key(String key) {
        try {
            return Optional.of(admin.key("Bearer " + key));
        } catch (RemoteError e) {
            return refused(e, "API key");
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<ProjectGrant> project(String projectId) {
        try {
            return Optional.of(admin.project(projectId));
        } catch (RemoteError e) {
            return refused(e, "project membership");
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
    }

    private static <T> Optional<T> refused(RemoteError e, String what) {
        int status = e.status();
        if (status == 401 || status == 403 || status == 404) {
            return Optional.empty();
        }
        throw unavailable(e);
    }

    private static ApiException unavailable(RuntimeException e) {
        LOG.warnf("admin-service unavailable for a credential check: %s", e.toString());
        return ApiException.unavailable("Your credentials could not be checked because the administration service is"
                + " temporarily unavailable. Please retry your request shortly.");
    }
}
