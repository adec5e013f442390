package dev.meridian.models.entity;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.meridian.common.api.models.Capability;

/** A catalog row: a model, who may see it, and the engine bound to it. */
@Entity
@Table(name = "model")
public class ModelEntry {

    @Id
    public String id;

    @Column(nullable = false)
    public long created;

    @Column(name = "owned_by", nullable = false)
    public String ownedBy;

    /** Null for a base model. */
    @Column(name = "org_id")
    public String orgId;

    /** The fine-tuned model's project within its org; null for base models. */
    @Column(name = "project_id")
    public String projectId;

    @Column(nullable = false)
    @jakarta.persistence.Convert(converter = CapabilityConverter.class)
    public Capability capability;

    @Column(nullable = false)
    public String engine;

    @Column(name = "upstream_model")
    public String upstreamModel;

    /** The openai-compatible server for this model; null for the serving service's default. */
    @Column(name = "upstream_base_url")
    public String upstreamBaseUrl;

    /** The name of a configured API key for that server; null for the default. */
    @Column(name = "upstream_credential")
    public String upstreamCredential;

    @Column(name = "registered_by", nullable = false)
    public String registeredBy;

    @Column(name = "registered_at", nullable = false)
    public OffsetDateTime registeredAt;

    public boolean isBase() {
        return orgId == null;
    }
}
