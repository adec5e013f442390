-- Assistants, threads and messages, each owned by one org. seq orders rows that share a created_at
-- second, so keyset pages are stable. Runs and run steps will reference threads and messages.
create table assistant (
    seq             bigserial primary key,
    id              text   not null unique,
    org_id          text   not null,
    created_at      bigint not null,
    name            text,
    description     text,
    model           text   not null,
    instructions    text,
    tools           jsonb  not null,
    tool_resources  jsonb,
    metadata        jsonb  not null,
    temperature     double precision,
    top_p           double precision,
    response_format jsonb
);
create index assistant_page on assistant (org_id, created_at, seq);

create table thread (
    seq            bigserial primary key,
    id             text   not null unique,
    org_id         text   not null,
    created_at     bigint not null,
    tool_resources jsonb,
    metadata       jsonb  not null
);
create index thread_org on thread (org_id);

create table message (
    seq                bigserial primary key,
    id                 text   not null unique,
    org_id             text   not null,
    thread_id          text   not null references thread (id) on delete cascade,
    created_at         bigint not null,
    status             text   not null,
    completed_at       bigint,
    incomplete_at      bigint,
    incomplete_details jsonb,
    role               text   not null,
    content            jsonb  not null,
    assistant_id       text,
    run_id             text,
    attachments        jsonb  not null,
    metadata           jsonb  not null
);
create index message_page on message (thread_id, created_at, seq);
create index message_run on message (thread_id, run_id);
