-- The epoch's bump also notifies channel toolgate_mcp_config (delivered at commit, with the
-- new epoch). A process that is the database's only client (PGlite) listens, and then knows
-- its cached configs are current without reading the epoch row at every policy check.
CREATE OR REPLACE FUNCTION "mcp_config_epoch_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Deferred to commit, once per transaction: the epoch row is locked last, when the
  -- transaction holds every other lock it will take, so it cannot be part of a deadlock.
  IF current_setting('toolgate.mcp_config_epoch_bumped', true) IS DISTINCT FROM 'on' THEN
    PERFORM set_config('toolgate.mcp_config_epoch_bumped', 'on', true);
    UPDATE "mcp_config_epoch" SET "epoch" = nextval('mcp_config_epoch_seq') WHERE "id" = 1;
    PERFORM pg_notify('toolgate_mcp_config', '');
  END IF;
  RETURN NULL;
END
$$;
