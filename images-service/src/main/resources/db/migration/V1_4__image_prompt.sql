-- The prompt is kept with its image, and purged with it, so that meridian.image.generated events (retained for days)
-- need not carry it: a consumer that needs it reads it with the event's signed prompt URL while the image exists.
alter table image add column prompt text;
