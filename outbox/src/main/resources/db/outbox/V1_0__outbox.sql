-- Events written in the same transaction as the change they describe; the relay publishes them.
create table outbox_event (
    seq          bigserial primary key,
    id           text        not null unique,
    topic        text        not null,
    event_key    text        not null,
    type         text        not null,
    source       text        not null,
    subject      text,
    time         timestamptz not null,
    data         text        not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_event_pending on outbox_event (seq) where published_at is null;

-- Ids of events a consumer has already applied: redelivery changes nothing.
create table inbox_event (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
