CREATE TABLE "mcp_server_tools" (
	"server_id" uuid NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"definition_hash" text NOT NULL,
	"approved_definition" jsonb,
	"approved_hash" text,
	"status" text DEFAULT 'active' NOT NULL,
	"rule" text DEFAULT 'enabled' NOT NULL,
	"plan_mode" boolean DEFAULT false NOT NULL,
	"is_new" boolean DEFAULT true NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	CONSTRAINT "mcp_server_tools_server_id_name_pk" PRIMARY KEY("server_id","name"),
	CONSTRAINT "mcp_server_tools_status_check" CHECK ("mcp_server_tools"."status" in ('active', 'changed', 'removed')),
	CONSTRAINT "mcp_server_tools_rule_check" CHECK ("mcp_server_tools"."rule" in ('enabled', 'disabled', 'approval'))
);
--> statement-breakpoint
ALTER TABLE "mcp_server_configs" ADD COLUMN "tool_default" text DEFAULT 'enabled' NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_server_configs" ADD COLUMN "pin_tool_definitions" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_server_tools" ADD CONSTRAINT "mcp_server_tools_server_id_mcp_server_configs_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."mcp_server_configs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_server_tools" ADD CONSTRAINT "mcp_server_tools_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_server_configs" ADD CONSTRAINT "mcp_server_configs_tool_default_check" CHECK ("mcp_server_configs"."tool_default" in ('enabled', 'disabled', 'approval'));