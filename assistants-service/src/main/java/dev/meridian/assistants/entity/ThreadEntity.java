package dev.meridian.assistants.entity;

import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.meridian.common.api.assistants.ToolResources;

@Entity
@Table(name = "thread")
public class ThreadEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(nullable = false, unique = true)
    public String id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tool_resources")
    public ToolResources toolResources;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> metadata;
}
