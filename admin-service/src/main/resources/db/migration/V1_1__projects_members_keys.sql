-- Projects of each organization. Every organization has a default project (id derived from the org id, see
-- dev.meridian.common.security.Projects), created when the organization is first seen.
create table project (
    id              text    primary key,
    seq             bigserial not null unique,
    org_id          text    not null,
    name            text    not null,
    external_key_id text,
    is_default      boolean not null default false,
    created_at      bigint  not null,
    archived_at     bigint
);
create index project_page on project (org_id, seq);

-- Users as Keycloak's tokens describe them, recorded when they first call admin-service: the directory that
-- project membership draws on (a user must be known in the organization before being added to a project).
create table org_user (
    id          text   primary key,
    org_id      text   not null,
    name        text,
    email       text,
    created_at  bigint not null
);
create index org_user_email on org_user (org_id, email);

-- Members of a project: users (member_id = the Keycloak subject) and service accounts (member_id = svc_acct_…).
create table project_member (
    seq          bigserial not null unique,
    project_id   text   not null references project (id),
    member_type  text   not null check (member_type in ('user', 'service_account')),
    member_id    text   not null,
    name         text,
    role         text   not null check (role in ('owner', 'member', 'none')),
    added_at     bigint not null,
    primary key (project_id, member_type, member_id)
);
create unique index project_member_id on project_member (member_id, project_id);

-- API keys: only the SHA-256 of the key is stored.
create table api_key (
    id              text   primary key,
    seq             bigserial not null unique,
    project_id      text   not null references project (id),
    org_id          text   not null,
    owner_type      text   not null check (owner_type in ('user', 'service_account')),
    owner_id        text   not null,
    name            text   not null,
    hash            text   not null unique,
    redacted_value  text   not null,
    created_at      bigint not null,
    last_used_at    bigint
);
create index api_key_page on api_key (project_id, seq);
create index api_key_owner on api_key (owner_id, project_id);
