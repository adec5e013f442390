package dev.meridian.admin.entity;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;

/** A user or a service account in a project. */
@Entity
@Table(name = "project_member")
@IdClass(MemberEntity.Key.class)
public class MemberEntity {

    public static final String USER = "user";
    public static final String SERVICE_ACCOUNT = "service_account";

    @Id
    @Column(name = "project_id")
    public String projectId;

    @Id
    @Column(name = "member_type")
    public String memberType;

    @Id
    @Column(name = "member_id")
    public String memberId;

    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    /** A service account's name; users' names live in {@code org_user}. */
    public String name;

    @Column(nullable = false)
    public String role;

    @Column(name = "added_at", nullable = false)
    public long addedAt;

    public static class Key implements Serializable {
        public String projectId;
        public String memberType;
        public String memberId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(projectId, k.projectId) && Objects.equals(memberType, k.memberType)
                    && Objects.equals(memberId, k.memberId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(projectId, memberType, memberId);
        }
    }
}
