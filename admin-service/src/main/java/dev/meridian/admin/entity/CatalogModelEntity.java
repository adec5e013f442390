package dev.meridian.admin.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A model of the catalog, as models-service's events describe it. */
@Entity
@Table(name = "catalog_model")
public class CatalogModelEntity {

    @Id
    public String id;

    /** null for a base model, which every project may use. */
    @Column(name = "org_id")
    public String orgId;

    @Column(name = "project_id")
    public String projectId;

    @Column(nullable = false)
    public String capability;

    @Column(nullable = false)
    public long created;
}
