-- Projects (admin-service): a fine-tuned model belongs to an org and a project (base models to neither). Existing
-- fine-tuned models move to their org's default project, whose id derives from the org id exactly as
-- dev.meridian.common.security.Projects.defaultFor computes it.
alter table model add column project_id text;
update model set project_id = 'proj_' || substr(encode(sha256(convert_to('meridian-default-project:' || org_id, 'UTF8')), 'hex'), 1, 24)
    where org_id is not null;
alter table model add constraint model_project_with_org check ((org_id is null) = (project_id is null));
drop index model_org;
create index model_org on model (org_id, project_id);
