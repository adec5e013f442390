package dev.meridian.admin.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;

/** An organization admin key: its SHA-256, never the key. */
@Entity
@Table(name = "admin_api_key")
public class AdminKeyEntity {

    @Id
    public String id;

    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    /** The organization owner (a Keycloak subject) who created it. */
    @Column(name = "owner_id", nullable = false)
    public String ownerId;

    public String name;

    @Column(nullable = false)
    public String hash;

    @Column(name = "redacted_value", nullable = false)
    public String redactedValue;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    @Column(name = "expires_at")
    public Long expiresAt;

    @Column(name = "last_used_at")
    public Long lastUsedAt;
}
