package dev.meridian.assistants.entity;

import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

@Entity
@DynamicUpdate
@Table(name = "run_step")
public class RunStepEntity extends OwnedRow {

    @Column(name = "run_id", nullable = false)
    public String runId;

    @Column(name = "thread_id", nullable = false)
    public String threadId;

    @Column(name = "assistant_id", nullable = false)
    public String assistantId;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String status;

    @Column(name = "cancelled_at")
    public Long cancelledAt;

    @Column(name = "completed_at")
    public Long completedAt;

    @Column(name = "expired_at")
    public Long expiredAt;

    @Column(name = "failed_at")
    public Long failedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "last_error")
    public JsonNode lastError;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "step_details", nullable = false)
    public JsonNode stepDetails;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> metadata;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode usage;
}
