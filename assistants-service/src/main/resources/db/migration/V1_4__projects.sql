-- Projects (admin-service): every row belongs to an org and a project. Existing rows move to their org's default
-- project, whose id derives from the org id exactly as dev.meridian.common.security.Projects.defaultFor computes it.
alter table assistant add column project_id text;
alter table thread add column project_id text;
alter table message add column project_id text;
alter table run add column project_id text;
alter table run_step add column project_id text;

update assistant set project_id = 'proj_' || substr(encode(sha256(convert_to('meridian-default-project:' || org_id, 'UTF8')), 'hex'), 1, 24);
update thread set project_id = 'proj_' || substr(encode(sha256(convert_to('meridian-default-project:' || org_id, 'UTF8')), 'hex'), 1, 24);
update message set project_id = 'proj_' || substr(encode(sha256(convert_to('meridian-default-project:' || org_id, 'UTF8')), 'hex'), 1, 24);
update run set project_id = 'proj_' || substr(encode(sha256(convert_to('meridian-default-project:' || org_id, 'UTF8')), 'hex'), 1, 24);
update run_step set project_id = 'proj_' || substr(encode(sha256(convert_to('meridian-default-project:' || org_id, 'UTF8')), 'hex'), 1, 24);

alter table assistant alter column project_id set not null;
alter table thread alter column project_id set not null;
alter table message alter column project_id set not null;
alter table run alter column project_id set not null;
alter table run_step alter column project_id set not null;

-- assistants are listed per org and project
drop index assistant_page;
create index assistant_page on assistant (org_id, project_id, created_at, seq);
