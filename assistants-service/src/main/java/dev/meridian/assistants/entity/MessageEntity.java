package dev.meridian.assistants.entity;

import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meridian.assistants.api.Attachment;

@Entity
@DynamicUpdate
@Table(name = "message")
public class MessageEntity extends OwnedRow {

    @Column(name = "thread_id", nullable = false)
    public String threadId;

    @Column(nullable = false)
    public String status;

    @Column(name = "completed_at")
    public Long completedAt;

    @Column(name = "incomplete_at")
    public Long incompleteAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "incomplete_details")
    public JsonNode incompleteDetails;

    @Column(nullable = false)
    public String role;

    /** Typed output parts, as the API returns them. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public JsonNode content;

    @Column(name = "assistant_id")
    public String assistantId;

    @Column(name = "run_id")
    public String runId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<Attachment> attachments;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> metadata;
}
