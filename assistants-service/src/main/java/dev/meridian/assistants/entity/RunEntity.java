package dev.meridian.assistants.entity;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import dev.meridian.assistants.api.Tool;

@Entity
@DynamicUpdate
@Table(name = "run")
public class RunEntity extends OwnedRow {

    public static final String QUEUED = "queued";
    public static final String IN_PROGRESS = "in_progress";
    public static final String REQUIRES_ACTION = "requires_action";
    public static final String CANCELLING = "cancelling";
    public static final String CANCELLED = "cancelled";
    public static final String FAILED = "failed";
    public static final String COMPLETED = "completed";
    public static final String INCOMPLETE = "incomplete";
    public static final String EXPIRED = "expired";
    /** The statuses of a run that still holds its thread (the partial unique index {@code run_one_active}). */
    public static final Set<String> ACTIVE = Set.of(QUEUED, IN_PROGRESS, REQUIRES_ACTION, CANCELLING);

    @Column(name = "thread_id", nullable = false)
    public String threadId;

    @Column(name = "assistant_id", nullable = false)
    public String assistantId;

    @Column(nullable = false)
    public String status;

    @Column(name = "started_at")
    public Long startedAt;

    @Column(name = "expires_at")
    public Long expiresAt;

    @Column(name = "cancelled_at")
    public Long cancelledAt;

    @Column(name = "failed_at")
    public Long failedAt;

    @Column(name = "completed_at")
    public Long completedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "required_action")
    public JsonNode requiredAction;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "last_error")
    public JsonNode lastError;

    @Column(nullable = false)
    public String model;

    @Column(nullable = false)
    public String instructions;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<Tool> tools;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> metadata;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "incomplete_details")
    public JsonNode incompleteDetails;

    @Column(name = "prompt_tokens", nullable = false)
    public int promptTokens;

    @Column(name = "completion_tokens", nullable = false)
    public int completionTokens;

    public Double temperature;

    @Column(name = "top_p")
    public Double topP;

    @Column(name = "max_prompt_tokens")
    public Integer maxPromptTokens;

    @Column(name = "max_completion_tokens")
    public Integer maxCompletionTokens;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "truncation_strategy", nullable = false)
    public JsonNode truncationStrategy;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tool_choice", nullable = false)
    public JsonNode toolChoice;

    @Column(name = "parallel_tool_calls", nullable = false)
    public boolean parallelToolCalls;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "response_format", nullable = false)
    public JsonNode responseFormat;

    @Column(nullable = false)
    public String engine;

    @Column(name = "upstream_model")
    public String upstreamModel;

    @Column(name = "upstream_base_url")
    public String upstreamBaseUrl;

    @Column(name = "upstream_credential")
    public String upstreamCredential;

    @Column(name = "lease_owner")
    public String leaseOwner;

    /** Epoch milliseconds. */
    @Column(name = "lease_until")
    public Long leaseUntil;

    public boolean active() {
        return ACTIVE.contains(status);
    }
}
