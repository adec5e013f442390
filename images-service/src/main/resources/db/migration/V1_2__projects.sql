-- Projects (admin-service): every image belongs to an org and a project. Existing images move to their org's default
-- project, whose id derives from the org id exactly as dev.meridian.common.security.Projects.defaultFor computes it.
alter table image add column project_id text;
update image set project_id = 'proj_' || substr(encode(sha256(convert_to('meridian-default-project:' || org_id, 'UTF8')), 'hex'), 1, 24);
alter table image alter column project_id set not null;
