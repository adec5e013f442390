package dev.meridian.admin.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user of an organization as their Keycloak token last described them. */
@Entity
@Table(name = "org_user")
public class OrgUserEntity {

    @Id
    public String id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    public String name;

    public String email;

    @Column(name = "created_at", nullable = false)
    public long createdAt;
}
