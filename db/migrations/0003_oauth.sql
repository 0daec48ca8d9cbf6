CREATE TABLE "mcp_oauth_states" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"state_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"server_id" uuid NOT NULL,
	"server_version" integer NOT NULL,
	"code_verifier_enc" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mcp_server_configs" ADD COLUMN "oauth2_issuer" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_server_configs" ADD COLUMN "oauth2_revocation_url" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_server_configs" ADD COLUMN "oauth2_resource" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_server_configs" ADD COLUMN "oauth2_token_auth_method" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_server_configs" ADD COLUMN "oauth2_iss_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_server_configs" ADD COLUMN "oauth2_discovered" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_oauth_states" ADD CONSTRAINT "mcp_oauth_states_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_oauth_states" ADD CONSTRAINT "mcp_oauth_states_server_id_mcp_server_configs_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."mcp_server_configs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mcp_oauth_states_hash_key" ON "mcp_oauth_states" USING btree ("state_hash");--> statement-breakpoint
CREATE INDEX "mcp_oauth_states_user_idx" ON "mcp_oauth_states" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "mcp_oauth_states_expires_idx" ON "mcp_oauth_states" USING btree ("expires_at");