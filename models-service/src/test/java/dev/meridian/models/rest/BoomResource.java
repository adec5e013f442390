package dev.meridian.models.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only route that fails unexpectedly, to see what a caller gets from a 500. */
@Path("/test/boom")
public class BoomResource {

    @GET
    public String boom() {
        throw new IllegalStateException("secret internals: jdbc:postgresql://db/prod");
    }
}
