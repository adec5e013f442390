-- Organization admin keys (sk-admin-…): the administration API with an organization owner's rights, no model APIs.
-- Only the SHA-256 of a key is stored.
create table admin_api_key (
    id              text   primary key,
    seq             bigserial not null unique,
    org_id          text   not null,
    owner_id        text   not null,
    name            text,
    hash            text   not null unique,
    redacted_value  text   not null,
    created_at      bigint not null,
    expires_at      bigint,
    last_used_at    bigint
);
create index admin_api_key_page on admin_api_key (org_id, seq);
