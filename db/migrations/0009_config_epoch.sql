CREATE TABLE "mcp_config_epoch" (
	"id" smallint PRIMARY KEY NOT NULL,
	"epoch" bigint NOT NULL,
	CONSTRAINT "mcp_config_epoch_single_row" CHECK ("mcp_config_epoch"."id" = 1)
);
--> statement-breakpoint
CREATE SEQUENCE "mcp_config_epoch_seq";--> statement-breakpoint
INSERT INTO "mcp_config_epoch" ("id", "epoch") VALUES (1, nextval('mcp_config_epoch_seq'));--> statement-breakpoint
CREATE FUNCTION "mcp_config_epoch_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Deferred to commit, once per transaction: the epoch row is locked last, when the
  -- transaction holds every other lock it will take, so it cannot be part of a deadlock.
  IF current_setting('toolgate.mcp_config_epoch_bumped', true) IS DISTINCT FROM 'on' THEN
    PERFORM set_config('toolgate.mcp_config_epoch_bumped', 'on', true);
    UPDATE "mcp_config_epoch" SET "epoch" = nextval('mcp_config_epoch_seq') WHERE "id" = 1;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "mcp_server_configs_epoch" AFTER INSERT OR UPDATE OR DELETE ON "mcp_server_configs" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "mcp_config_epoch_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "mcp_server_tools_epoch" AFTER INSERT OR UPDATE OR DELETE ON "mcp_server_tools" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "mcp_config_epoch_bump"();
