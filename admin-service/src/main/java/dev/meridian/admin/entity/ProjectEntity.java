package dev.meridian.admin.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;

@Entity
@Table(name = "project")
public class ProjectEntity {

    @Id
    public String id;

    /** Insertion order, the keyset for pagination. */
    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String name;

    @Column(name = "external_key_id")
    public String externalKeyId;

    @Column(name = "is_default", nullable = false)
    public boolean isDefault;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    @Column(name = "archived_at")
    public Long archivedAt;

    public boolean archived() {
        return archivedAt != null;
    }
}
