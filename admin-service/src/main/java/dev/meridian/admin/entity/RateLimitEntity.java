package dev.meridian.admin.entity;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** What an owner changed of a project's limits for one model (null: the capability's default). */
@Entity
@Table(name = "rate_limit")
@IdClass(RateLimitEntity.Key.class)
public class RateLimitEntity {

    @Id
    @Column(name = "project_id")
    public String projectId;

    @Id
    public String model;

    @Column(name = "max_requests_per_1_minute")
    public Integer maxRequestsPer1Minute;

    @Column(name = "max_tokens_per_1_minute")
    public Integer maxTokensPer1Minute;

    @Column(name = "max_images_per_1_minute")
    public Integer maxImagesPer1Minute;

    @Column(name = "max_audio_megabytes_per_1_minute")
    public Integer maxAudioMegabytesPer1Minute;

    @Column(name = "max_requests_per_1_day")
    public Integer maxRequestsPer1Day;

    @Column(name = "batch_1_day_max_input_tokens")
    public Integer batch1DayMaxInputTokens;

    @Column(name = "updated_at", nullable = false)
    public long updatedAt;

    public static class Key implements Serializable {
        public String projectId;
        public String model;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(projectId, k.projectId) && Objects.equals(model, k.model);
        }

        @Override
        public int hashCode() {
            return Objects.hash(projectId, model);
        }
    }
}
