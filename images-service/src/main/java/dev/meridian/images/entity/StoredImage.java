package dev.meridian.images.entity;

import java.time.Instant;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A generated image, its owner and its lifetime. */
@Entity
@Table(name = "image")
public class StoredImage {

    @Id
    public String id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(name = "project_id", nullable = false)
    public String projectId;

    @Column(nullable = false)
    public String model;

    @Column(nullable = false)
    public int width;

    @Column(nullable = false)
    public int height;

    /** SHA-256 of the prompt (of "" for a variation): what the image's events carry in its place. */
    @Column(name = "prompt_digest", nullable = false)
    public String promptDigest;

    /**
     * The prompt, null for a variation: kept only as long as the image (purged with it), for the review that reads it
     * with the signed prompt URL of {@code meridian.image.generated}.
     */
    @Basic(fetch = FetchType.LAZY)
    @Column
    public String prompt;

    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false)
    public byte[] png;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
