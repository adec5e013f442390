package dev.meridian.images.repository;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.images.entity.StoredImage;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Image storage in PostgreSQL, so that any replica can serve any image. */
@ApplicationScoped
public class ImageRepository implements PanacheRepositoryBase<StoredImage, String> {

    public long purgeExpiredBefore(Instant cutoff) {
        return delete("expiresAt < ?1", cutoff);
    }
}
