-- Runs and their steps. A run holds its effective settings (the assistant's, overridden by the request)
-- and the engine binding resolved when it was created, so any replica can execute it without the caller.
create table run (
    seq                   bigserial primary key,
    id                    text    not null unique,
    org_id                text    not null,
    thread_id             text    not null references thread (id) on delete cascade,
    assistant_id          text    not null,
    created_at            bigint  not null,
    status                text    not null,
    started_at            bigint,
    expires_at            bigint,
    cancelled_at          bigint,
    failed_at             bigint,
    completed_at          bigint,
    required_action       jsonb,
    last_error            jsonb,
    model                 text    not null,
    instructions          text    not null,
    tools                 jsonb   not null,
    metadata              jsonb   not null,
    incomplete_details    jsonb,
    prompt_tokens         integer not null default 0,
    completion_tokens     integer not null default 0,
    temperature           double precision,
    top_p                 double precision,
    max_prompt_tokens     integer,
    max_completion_tokens integer,
    truncation_strategy   jsonb   not null,
    tool_choice           jsonb   not null,
    parallel_tool_calls   boolean not null,
    response_format       jsonb   not null,
    engine                text    not null,
    upstream_model        text,
    -- which replica executes the run, until when; another replica takes over once it lapses
    lease_owner           text,
    lease_until           bigint
);
create index run_page on run (thread_id, created_at, seq);
-- One active run per thread, kept by the database whatever the number of replicas.
create unique index run_one_active on run (thread_id)
    where status in ('queued', 'in_progress', 'requires_action', 'cancelling');
create index run_sweep on run (status, lease_until)
    where status in ('queued', 'in_progress', 'requires_action', 'cancelling');

create table run_step (
    seq          bigserial primary key,
    id           text   not null unique,
    org_id       text   not null,
    run_id       text   not null references run (id) on delete cascade,
    thread_id    text   not null,
    assistant_id text   not null,
    created_at   bigint not null,
    type         text   not null,
    status       text   not null,
    cancelled_at bigint,
    completed_at bigint,
    expired_at   bigint,
    failed_at    bigint,
    last_error   jsonb,
    step_details jsonb  not null,
    metadata     jsonb  not null,
    usage        jsonb
);
create index run_step_page on run_step (run_id, created_at, seq);
