CREATE TABLE "chats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"model" text,
	"mcp_server_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"workspace_id" uuid,
	"parent_chat_id" uuid,
	"status" text DEFAULT 'idle' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chats_status_check" CHECK ("chats"."status" in ('idle', 'running', 'waiting', 'error'))
);
--> statement-breakpoint
CREATE TABLE "mcp_server_configs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"icon_url" text DEFAULT '' NOT NULL,
	"url" text NOT NULL,
	"transport" text DEFAULT 'streamable_http' NOT NULL,
	"auth_type" text DEFAULT 'none' NOT NULL,
	"oauth2_client_id" text DEFAULT '' NOT NULL,
	"oauth2_client_secret_enc" text,
	"oauth2_auth_url" text DEFAULT '' NOT NULL,
	"oauth2_token_url" text DEFAULT '' NOT NULL,
	"oauth2_scopes" text DEFAULT '' NOT NULL,
	"api_key_header" text DEFAULT '' NOT NULL,
	"api_key_value_enc" text,
	"custom_headers_enc" text,
	"custom_header_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"tool_allow_list" text[] DEFAULT '{}'::text[] NOT NULL,
	"tool_deny_list" text[] DEFAULT '{}'::text[] NOT NULL,
	"availability" text DEFAULT 'default_off' NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"model_intent" boolean DEFAULT false NOT NULL,
	"allow_in_plan_mode" boolean DEFAULT false NOT NULL,
	"plan_mode_tools" text[],
	"forward_identity_headers" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"status_state" text DEFAULT 'unknown' NOT NULL,
	"status_checked_at" timestamp with time zone,
	"status_detail" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mcp_server_configs_transport_check" CHECK ("mcp_server_configs"."transport" in ('streamable_http', 'sse')),
	CONSTRAINT "mcp_server_configs_auth_type_check" CHECK ("mcp_server_configs"."auth_type" in ('none', 'oauth2', 'api_key', 'custom_headers', 'user_oidc')),
	CONSTRAINT "mcp_server_configs_availability_check" CHECK ("mcp_server_configs"."availability" in ('force_on', 'default_on', 'default_off')),
	CONSTRAINT "mcp_server_configs_status_check" CHECK ("mcp_server_configs"."status_state" in ('ok', 'error', 'unknown'))
);
--> statement-breakpoint
CREATE TABLE "mcp_server_user_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"server_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"access_token_enc" text,
	"refresh_token_enc" text,
	"token_type" text DEFAULT 'Bearer' NOT NULL,
	"scope" text,
	"expires_at" timestamp with time zone,
	"needs_reconnect" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_server_configs" ADD CONSTRAINT "mcp_server_configs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_server_user_tokens" ADD CONSTRAINT "mcp_server_user_tokens_server_id_mcp_server_configs_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."mcp_server_configs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_server_user_tokens" ADD CONSTRAINT "mcp_server_user_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chats_owner_updated_idx" ON "chats" USING btree ("owner_id","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "mcp_server_configs_slug_key" ON "mcp_server_configs" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "mcp_server_user_tokens_server_user_key" ON "mcp_server_user_tokens" USING btree ("server_id","user_id");--> statement-breakpoint
CREATE INDEX "mcp_server_user_tokens_user_idx" ON "mcp_server_user_tokens" USING btree ("user_id");