package dev.meridian.assistants.entity;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/**
 * What every assistants-service row has: the API id, the owning org and project, the creation second, and a
 * sequence that orders rows created in the same second (keyset pages stay stable). Each entity is
 * {@code @DynamicUpdate}: a change sends only the columns it changed, so a run's status change does not send its
 * instructions, tools and metadata again (nor serialize their JSON).
 */
@MappedSuperclass
public abstract class OwnedRow implements Paged {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(nullable = false, unique = true)
    public String id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    /** The project within the org (admin-service's projects; the org's default project unless chosen). */
    @Column(name = "project_id", nullable = false)
    public String projectId;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    @Override
    public long createdAt() {
        return createdAt;
    }

    @Override
    public long seq() {
        return seq;
    }
}
