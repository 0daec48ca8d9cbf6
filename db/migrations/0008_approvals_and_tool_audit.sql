CREATE TABLE "job_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"last_run_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pending_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"chat_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"turn_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"tool_call_id" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"request" jsonb NOT NULL,
	"response" jsonb,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"resumed_turn_id" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "pending_requests_kind_check" CHECK ("pending_requests"."kind" in ('approval', 'elicitation')),
	CONSTRAINT "pending_requests_state_check" CHECK ("pending_requests"."state" in ('pending', 'approved', 'denied', 'expired', 'accepted', 'declined', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "tool_call_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp (3) with time zone DEFAULT clock_timestamp() NOT NULL,
	"user_id" uuid NOT NULL,
	"user_email" text NOT NULL,
	"chat_id" uuid NOT NULL,
	"turn_id" uuid NOT NULL,
	"tool_call_id" text NOT NULL,
	"server_id" uuid,
	"server_slug" text,
	"source" text NOT NULL,
	"tool" text NOT NULL,
	"definition_hash" text,
	"plan_mode" boolean NOT NULL,
	"agent" text NOT NULL,
	"model_intent" text,
	"input_sha256" text NOT NULL,
	"decision" text NOT NULL,
	"decided_by" uuid,
	"reason" text,
	"outcome" text NOT NULL,
	"error_code" text,
	"duration_ms" integer,
	CONSTRAINT "tool_call_audit_decision_check" CHECK ("tool_call_audit"."decision" in ('allowed', 'denied', 'approved', 'declined', 'expired')),
	CONSTRAINT "tool_call_audit_outcome_check" CHECK ("tool_call_audit"."outcome" in ('ok', 'error', 'timeout', 'not_run'))
);
--> statement-breakpoint
CREATE TABLE "tool_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"chat_id" uuid NOT NULL,
	"source" text NOT NULL,
	"server_id" uuid,
	"tool_name" text NOT NULL,
	"exposed_name" text NOT NULL,
	"approval_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid
);
--> statement-breakpoint
ALTER TABLE "pending_requests" ADD CONSTRAINT "pending_requests_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_requests" ADD CONSTRAINT "pending_requests_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_requests" ADD CONSTRAINT "pending_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_grants" ADD CONSTRAINT "tool_grants_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_grants" ADD CONSTRAINT "tool_grants_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_grants" ADD CONSTRAINT "tool_grants_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pending_requests_chat_idx" ON "pending_requests" USING btree ("chat_id","created_at");--> statement-breakpoint
CREATE INDEX "pending_requests_open_idx" ON "pending_requests" USING btree ("expires_at") WHERE "pending_requests"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "pending_requests_unresumed_idx" ON "pending_requests" USING btree ("message_id") WHERE "pending_requests"."resumed_turn_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "pending_requests_call_key" ON "pending_requests" USING btree ("message_id","tool_call_id","kind");--> statement-breakpoint
CREATE INDEX "tool_call_audit_at_idx" ON "tool_call_audit" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "tool_call_audit_user_idx" ON "tool_call_audit" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "tool_call_audit_server_idx" ON "tool_call_audit" USING btree ("server_id","at");--> statement-breakpoint
CREATE INDEX "tool_grants_chat_idx" ON "tool_grants" USING btree ("chat_id","expires_at");