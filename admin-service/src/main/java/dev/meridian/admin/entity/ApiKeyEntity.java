package dev.meridian.admin.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;

/** An API key: its SHA-256, never the key. */
@Entity
@Table(name = "api_key")
public class ApiKeyEntity {

    @Id
    public String id;

    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "project_id", nullable = false)
    public String projectId;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(name = "owner_type", nullable = false)
    public String ownerType;

    @Column(name = "owner_id", nullable = false)
    public String ownerId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String hash;

    @Column(name = "redacted_value", nullable = false)
    public String redactedValue;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    @Column(name = "last_used_at")
    public Long lastUsedAt;
}
