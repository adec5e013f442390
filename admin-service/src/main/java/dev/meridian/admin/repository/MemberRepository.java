package dev.meridian.admin.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meridian.admin.entity.MemberEntity;
import dev.meridian.common.page.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class MemberRepository implements PanacheRepositoryBase<MemberEntity, MemberEntity.Key> {

    public Optional<MemberEntity> findMember(String projectId, String type, String memberId) {
        return find("projectId = ?1 and memberType = ?2 and memberId = ?3", projectId, type, memberId).firstResultOptional();
    }

    public MemberEntity add(String projectId, String type, String memberId, String name, String role, long addedAt) {
        MemberEntity member = new MemberEntity();
        member.projectId = projectId;
        member.memberType = type;
        member.memberId = memberId;
        member.name = name;
        member.role = role;
        member.addedAt = addedAt;
        persist(member);
        flush();
        return member;
    }

    public List<String> projectsOfUser(String userId) {
        return find("memberType = ?1 and memberId = ?2", MemberEntity.USER, userId).stream().map(m -> m.projectId).toList();
    }

    public List<MemberEntity> page(String projectId, String type, PageRequest request, Long afterSeq) {
        String query = "projectId = :project and memberType = :type" + (afterSeq == null ? "" : " and seq > :after") + " order by seq";
        Parameters params = Parameters.with("project", projectId).and("type", type);
        if (afterSeq != null) {
            params.and("after", afterSeq);
        }
        return find(query, params).page(0, request.fetchSize()).list();
    }
}
