-- Project rate limits: only what an owner changed is stored; every other model of the project has the defaults of
-- its capability (configuration).
create table rate_limit (
    project_id                        text   not null references project (id),
    model                             text   not null,
    max_requests_per_1_minute         integer,
    max_tokens_per_1_minute           integer,
    max_images_per_1_minute           integer,
    max_audio_megabytes_per_1_minute  integer,
    max_requests_per_1_day            integer,
    batch_1_day_max_input_tokens      integer,
    updated_at                        bigint not null,
    primary key (project_id, model)
);

-- The model catalog as models-service's events describe it (meridian.models): which models a project may use, so
-- that the rate limits list one entry per model.
create table catalog_model (
    id          text   primary key,
    org_id      text,
    project_id  text,
    capability  text   not null,
    created     bigint not null
);
create index catalog_model_org on catalog_model (org_id, project_id);
