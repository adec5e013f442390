package dev.meridian.assistants.entity;

import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.meridian.assistants.api.ToolResources;

@Entity
@DynamicUpdate
@Table(name = "thread")
public class ThreadEntity extends OwnedRow {

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tool_resources")
    public ToolResources toolResources;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> metadata;
}
