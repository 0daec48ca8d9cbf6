CREATE TABLE "mcp_input_rounds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"chat_id" uuid NOT NULL,
	"turn_id" uuid NOT NULL,
	"tool_call_id" text NOT NULL,
	"round" integer NOT NULL,
	"state_enc" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "mcp_input_rounds" ADD CONSTRAINT "mcp_input_rounds_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mcp_input_rounds_call_key" ON "mcp_input_rounds" USING btree ("turn_id","tool_call_id","round");--> statement-breakpoint
CREATE INDEX "mcp_input_rounds_expires_idx" ON "mcp_input_rounds" USING btree ("expires_at");