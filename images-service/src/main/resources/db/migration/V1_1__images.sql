-- Generated images, served by any replica through signed URLs until they expire or are revoked.
create table image (
    id            text        primary key,
    org_id        text        not null,
    model         text        not null,
    width         integer     not null,
    height        integer     not null,
    prompt_digest text        not null,
    png           bytea       not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    revoked_at    timestamptz
);
create index image_expiry on image (expires_at);
