-- The model catalog. Base models (org_id null) are seeded from configuration and visible to every
-- org; fine-tuned models belong to one org.
create table model (
    id             text        primary key,
    created        bigint      not null,
    owned_by       text        not null,
    org_id         text,
    capability     text        not null check (capability in ('image', 'moderation', 'chat')),
    engine         text        not null,
    upstream_model text,
    registered_by  text        not null,
    registered_at  timestamptz not null default now()
);
create index model_org on model (org_id);
