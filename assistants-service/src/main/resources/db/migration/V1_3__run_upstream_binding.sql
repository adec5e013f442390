-- The upstream of a run's model, as the catalog bound it when the run was created.
alter table run add column upstream_base_url text;
alter table run add column upstream_credential text;
