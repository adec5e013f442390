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

import dev.meridian.assistants.api.Tool;
import dev.meridian.assistants.api.ToolResources;

@Entity
@DynamicUpdate
@Table(name = "assistant")
public class AssistantEntity extends OwnedRow {

    public String name;

    public String description;

    @Column(nullable = false)
    public String model;

    public String instructions;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<Tool> tools;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tool_resources")
    public ToolResources toolResources;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> metadata;

    public Double temperature;

    @Column(name = "top_p")
    public Double topP;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "response_format")
    public JsonNode responseFormat;
}
