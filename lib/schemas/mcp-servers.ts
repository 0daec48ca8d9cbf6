import { z } from "zod";
// The value sets are the columns' own (db/enums.ts: constants only, nothing of the database).
import { AUTH_TYPES, AVAILABILITIES, TOOL_RULES, TRANSPORTS } from "@/db/enums";
import { headerNameProblem, headerNameSchema, headerValueSchema } from "./http-headers";
import { httpUrlSchema } from "./http-url";

export { AUTH_TYPES, AVAILABILITIES, TRANSPORTS };
export type { AuthType, Availability, Transport } from "@/db/enums";

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** The slug the form proposes for a display name (until the admin edits it). */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 32)
    .replace(/-+$/, "");
}

const httpUrl = (field: string) =>
  httpUrlSchema({ credentialsHint: `use the ${field} auth settings` });
const optionalHttpUrl = (field: string) =>
  httpUrlSchema({ allowEmpty: true, credentialsHint: `use the ${field} auth settings` });

const toolName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters");
const toolList = z.array(toolName).max(500, "must have at most 500 entries");

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(100, "must be at most 100 characters");
export const slugSchema = z
  .string()
  .regex(
    SLUG_PATTERN,
    "must be 1-32 lowercase letters, digits or dashes, starting and ending with a letter or digit",
  );

// Icons are loaded by the members' browsers, never by the server: an https URL (no mixed
// content, no plain-http tracking of who opened the chat), a data: image, or a path on this
// server (e.g. a bundled icon). http: would let an icon point the browser at the intranet.
const ICON_DATA_URL = /^data:image\/(png|jpeg|gif|webp|svg\+xml|x-icon|vnd\.microsoft\.icon)[;,]/i;
const iconUrl = z
  .string()
  .trim()
  .max(65_536, "must be at most 65536 characters")
  .superRefine((value, ctx) => {
    if (value === "" || ICON_DATA_URL.test(value)) return;
    // Parsed, not pattern-matched: "/\\host" and "/<tab>/host" are other origins to a browser.
    const parse = (base?: string) => {
      try {
        return new URL(value, base);
      } catch {
        return null;
      }
    };
    if (value.startsWith("/") && parse("https://app.invalid")?.host === "app.invalid") return;
    const url = parse();
    if (!url || url.protocol !== "https:" || url.username || url.password) {
      ctx.addIssue({
        code: "custom",
        message: "must be an https URL, a data:image URL or a path starting with /",
      });
    }
  });

const customHeadersCreate = z
  .record(headerNameSchema, headerValueSchema)
  .refine((h) => Object.keys(h).length <= 50, "must have at most 50 headers");

/**
 * On update a header value may be null: keep the stored value for that name. Names left out
 * are removed. This lets the form rename or drop headers without retyping every secret.
 */
const customHeadersUpdate = z
  .record(headerNameSchema, headerValueSchema.nullable())
  .refine((h) => Object.keys(h).length <= 50, "must have at most 50 headers");

const writable = {
  display_name: displayNameSchema,
  slug: slugSchema,
  description: z.string().trim().max(500, "must be at most 500 characters"),
  icon_url: iconUrl,
  url: httpUrl("server"),
  transport: z.enum(TRANSPORTS),
  auth_type: z.enum(AUTH_TYPES),
  oauth2_client_id: z.string().trim().max(512, "must be at most 512 characters"),
  oauth2_auth_url: optionalHttpUrl("oauth2"),
  oauth2_token_url: optionalHttpUrl("oauth2"),
  oauth2_scopes: z.string().trim().max(1024, "must be at most 1024 characters"),
  api_key_header: z.union([z.literal(""), headerNameSchema]),
  tool_allow_list: toolList,
  tool_deny_list: toolList,
  availability: z.enum(AVAILABILITIES),
  enabled: z.boolean(),
  model_intent: z.boolean(),
  allow_in_plan_mode: z.boolean(),
  plan_mode_tools: toolList.nullable(),
  forward_identity_headers: z.boolean(),
  tool_default: z.enum(TOOL_RULES),
};

/** Secrets: write-only. On update, null (or "") clears a stored secret. */
const secretValue = headerValueSchema.max(8192);

export const createMcpServerBody = z.strictObject({
  display_name: writable.display_name,
  slug: writable.slug.optional(),
  description: writable.description.default(""),
  icon_url: writable.icon_url.default(""),
  url: writable.url,
  transport: writable.transport.default("streamable_http"),
  auth_type: writable.auth_type.default("none"),
  oauth2_client_id: writable.oauth2_client_id.default(""),
  oauth2_client_secret: secretValue.default(""),
  oauth2_auth_url: writable.oauth2_auth_url.default(""),
  oauth2_token_url: writable.oauth2_token_url.default(""),
  oauth2_scopes: writable.oauth2_scopes.default(""),
  api_key_header: writable.api_key_header.default(""),
  api_key_value: secretValue.default(""),
  custom_headers: customHeadersCreate.default({}),
  tool_allow_list: writable.tool_allow_list.default([]),
  tool_deny_list: writable.tool_deny_list.default([]),
  availability: writable.availability.default("default_off"),
  enabled: writable.enabled.default(false),
  model_intent: writable.model_intent.default(false),
  allow_in_plan_mode: writable.allow_in_plan_mode.default(false),
  plan_mode_tools: writable.plan_mode_tools.default(null),
  forward_identity_headers: writable.forward_identity_headers.default(false),
  tool_default: writable.tool_default.default("enabled"),
});
export type CreateMcpServerInput = z.input<typeof createMcpServerBody>;
export type CreateMcpServer = z.output<typeof createMcpServerBody>;

export const updateMcpServerBody = z.strictObject({
  display_name: writable.display_name.optional(),
  slug: writable.slug.optional(),
  description: writable.description.optional(),
  icon_url: writable.icon_url.optional(),
  url: writable.url.optional(),
  transport: writable.transport.optional(),
  auth_type: writable.auth_type.optional(),
  oauth2_client_id: writable.oauth2_client_id.optional(),
  oauth2_client_secret: secretValue.nullable().optional(),
  oauth2_auth_url: writable.oauth2_auth_url.optional(),
  oauth2_token_url: writable.oauth2_token_url.optional(),
  oauth2_scopes: writable.oauth2_scopes.optional(),
  api_key_header: writable.api_key_header.optional(),
  api_key_value: secretValue.nullable().optional(),
  custom_headers: customHeadersUpdate.optional(),
  tool_allow_list: writable.tool_allow_list.optional(),
  tool_deny_list: writable.tool_deny_list.optional(),
  availability: writable.availability.optional(),
  enabled: writable.enabled.optional(),
  model_intent: writable.model_intent.optional(),
  allow_in_plan_mode: writable.allow_in_plan_mode.optional(),
  plan_mode_tools: writable.plan_mode_tools.optional(),
  forward_identity_headers: writable.forward_identity_headers.optional(),
  tool_default: writable.tool_default.optional(),
  /** Same as If-Match: the version this edit was based on. */
  version: z.number().int().min(1).optional(),
});
export type UpdateMcpServerInput = z.input<typeof updateMcpServerBody>;
export type UpdateMcpServer = z.output<typeof updateMcpServerBody>;

export { headerNameProblem };
