-- Where an openai-compatible model is served, and with which configured API key (by name, never the key).
alter table model add column upstream_base_url text;
alter table model add column upstream_credential text;
