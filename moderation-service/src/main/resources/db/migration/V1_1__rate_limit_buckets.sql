-- Rate limit buckets (the ratelimit module, Bucket4j): one row per project, model and dimension, shared by every replica.
create table rate_limit_bucket (
    id     text  primary key,
    state  bytea
);
