CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "agent_kind" text DEFAULT 'root' NOT NULL;--> statement-breakpoint
-- Chats made as sub-agents before the column existed were plain sub-agents.
UPDATE "chats" SET "agent_kind" = 'subagent' WHERE "parent_chat_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "app_settings" ADD CONSTRAINT "app_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_parent_chat_id_chats_id_fk" FOREIGN KEY ("parent_chat_id") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chats_parent_idx" ON "chats" USING btree ("parent_chat_id");--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_agent_kind_check" CHECK ("chats"."agent_kind" in ('root', 'subagent', 'explore'));