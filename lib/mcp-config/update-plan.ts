// A PATCH of an MCP server config as pure steps, run by updateServer (service.ts) inside its
// transaction on the row it locked: check the patch, turn it into column writes (what switching
// auth type clears, the plain fields, the secrets, the headers, the OAuth2 client), apply them
// to get the next row and the API fields that really changed, and check the result. No I/O:
// sealing is handed in, so every step is unit-tested with plain rows.
import type { McpServerRow } from "@/db/queries/mcp-servers";
import { OAUTH2_MANUAL_FIELDS } from "@/lib/schemas/mcp-auth";
import type { AuthType, UpdateMcpServer } from "@/lib/schemas/mcp-servers";
import { MANUAL_OAUTH2_EXTRAS, type DiscoveredOauth2 } from "./oauth2-config";
import { assertAuthComplete, assertNoForeignAuthFields, mergeHeaders } from "./validation";

/** Seals a secret to its row and column (sealServerSecret, bound to the config's id). */
export type Sealer = (
  column: "oauth2_client_secret_enc" | "api_key_value_enc" | "custom_headers_enc",
  plaintext: string,
) => string;

/** One column to set, and the API field the audit's `changed` names for it. */
export interface Write {
  column: keyof McpServerRow;
  value: unknown;
  field: string;
}

export interface UpdatePlan {
  next: McpServerRow;
  /** API fields whose columns changed, in the order they were written, each once. */
  changed: string[];
  /** Whether every user's stored OAuth token for the config must go. */
  dropsTokens: boolean;
}

// Body keys → column names, for the plain (non-secret) fields a PATCH may set.
export const PLAIN_FIELDS = {
  display_name: "displayName",
  slug: "slug",
  description: "description",
  icon_url: "iconUrl",
  url: "url",
  transport: "transport",
  auth_type: "authType",
  oauth2_client_id: "oauth2ClientId",
  oauth2_auth_url: "oauth2AuthUrl",
  oauth2_token_url: "oauth2TokenUrl",
  oauth2_scopes: "oauth2Scopes",
  api_key_header: "apiKeyHeader",
  tool_allow_list: "toolAllowList",
  tool_deny_list: "toolDenyList",
  availability: "availability",
  enabled: "enabled",
  model_intent: "modelIntent",
  allow_in_plan_mode: "allowInPlanMode",
  plan_mode_tools: "planModeTools",
  forward_identity_headers: "forwardIdentityHeaders",
  tool_default: "toolDefault",
  pin_tool_definitions: "pinToolDefinitions",
} as const satisfies Record<string, keyof McpServerRow>;

const PLAIN_FIELD_OF: Record<string, string> = Object.fromEntries(
  Object.entries(PLAIN_FIELDS).map(([field, column]) => [column, field]),
);

/**
 * A token must never reach an origin it was not issued for (docs/security.md), and one issued
 * to another client or token endpoint would fail to refresh, or be refreshed where it was not
 * issued: changing any of these drops every user's token.
 */
const TOKEN_BINDING_FIELDS = ["url", "auth_type", "oauth2_client_id", "oauth2_token_url"];

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const extrasWrites = (): Write[] =>
  Object.entries(MANUAL_OAUTH2_EXTRAS).map(([column, value]) => ({
    column: column as keyof McpServerRow,
    value,
    field: "oauth2_discovery",
  }));

/** Applies writes in order; one that sets a column to its current value changes nothing. */
export function applyWrites(
  plan: Pick<UpdatePlan, "next" | "changed">,
  writes: readonly Write[],
): Pick<UpdatePlan, "next" | "changed"> {
  const next = { ...plan.next };
  const changed = [...plan.changed];
  for (const { column, value, field } of writes) {
    if (sameValue(next[column], value)) continue;
    (next as Record<string, unknown>)[column] = value;
    if (!changed.includes(field)) changed.push(field);
  }
  return { next, changed };
}

/**
 * Switching auth type clears what belonged to the old type: no stale secret lingers for a
 * type the admin no longer uses.
 */
export function authSwitchWrites(from: AuthType, to: AuthType): Write[] {
  if (from === to) return [];
  const writes: Write[] = [];
  if (to !== "oauth2") {
    writes.push(
      { column: "oauth2ClientId", value: "", field: "oauth2_client_id" },
      { column: "oauth2ClientSecretEnc", value: null, field: "oauth2_client_secret" },
      { column: "oauth2AuthUrl", value: "", field: "oauth2_auth_url" },
      { column: "oauth2TokenUrl", value: "", field: "oauth2_token_url" },
      { column: "oauth2Scopes", value: "", field: "oauth2_scopes" },
      ...extrasWrites(),
    );
  }
  if (to !== "api_key") {
    writes.push(
      { column: "apiKeyHeader", value: "", field: "api_key_header" },
      { column: "apiKeyValueEnc", value: null, field: "api_key_value" },
    );
  }
  if (to !== "custom_headers") {
    writes.push(
      { column: "customHeadersEnc", value: null, field: "custom_headers" },
      { column: "customHeaderNames", value: [], field: "custom_headers" },
    );
  }
  return writes;
}

/** The plain fields the patch gives; an absent field is unchanged. */
export function plainWrites(input: UpdateMcpServer): Write[] {
  return Object.entries(PLAIN_FIELDS).flatMap(([field, column]) => {
    const value = input[field as keyof UpdateMcpServer];
    return value === undefined ? [] : [{ column, value, field }];
  });
}

/** The write-only secrets the patch gives: a value replaces (sealed), null or "" clears. */
export function secretWrites(input: UpdateMcpServer, seal: Sealer): Write[] {
  const writes: Write[] = [];
  if (input.oauth2_client_secret !== undefined) {
    const secret = input.oauth2_client_secret;
    writes.push({
      column: "oauth2ClientSecretEnc",
      value: secret ? seal("oauth2_client_secret_enc", secret) : null,
      field: "oauth2_client_secret",
    });
  }
  if (input.api_key_value !== undefined) {
    const value = input.api_key_value;
    writes.push({
      column: "apiKeyValueEnc",
      value: value ? seal("api_key_value_enc", value) : null,
      field: "api_key_value",
    });
  }
  return writes;
}

/**
 * The headers after the patch (kept values filled in from `stored`, the opened current ones),
 * written only when they differ from the stored ones: values are compared, not ciphertexts.
 */
export function headerWrites(
  input: UpdateMcpServer["custom_headers"],
  stored: Readonly<Record<string, string>>,
  seal: Sealer,
): Write[] {
  if (input === undefined) return [];
  const merged = mergeHeaders(input, stored);
  if (sameValue(merged, stored)) return [];
  const names = Object.keys(merged);
  return [
    {
      column: "customHeadersEnc",
      value: names.length === 0 ? null : seal("custom_headers_enc", JSON.stringify(merged)),
      field: "custom_headers",
    },
    { column: "customHeaderNames", value: names, field: "custom_headers" },
  ];
}

/**
 * The OAuth2 client after the other writes: what discovery found, or, when the admin entered a
 * client by hand, nothing of what discovery knew about another client; a hand-entered config
 * that moves loses its resource.
 */
export function oauth2Writes(
  plan: Pick<UpdatePlan, "next" | "changed">,
  authType: AuthType,
  discovered: DiscoveredOauth2 | undefined,
): Write[] {
  if (discovered) {
    const { oauth2Scopes, ...rest } = discovered;
    return [
      ...Object.entries(rest).map(([column, value]) => ({
        column: column as keyof McpServerRow,
        value,
        field:
          PLAIN_FIELD_OF[column] ??
          (column === "oauth2ClientSecretEnc" ? "oauth2_client_secret" : "oauth2_discovery"),
      })),
      { column: "oauth2Scopes", value: oauth2Scopes, field: "oauth2_scopes" },
    ];
  }
  if (authType === "oauth2" && OAUTH2_MANUAL_FIELDS.some((f) => plan.changed.includes(f))) {
    return extrasWrites();
  }
  if (plan.changed.includes("url") && !plan.next.oauth2Discovered) {
    return [{ column: "oauth2Resource", value: "", field: "oauth2_discovery" }];
  }
  return [];
}

/**
 * The row a PATCH makes of `current` (locked), or the API problem that refuses it. An edit
 * that changes nothing writes nothing, so it is not checked for completeness.
 */
export function planUpdate(
  current: McpServerRow,
  input: UpdateMcpServer,
  ctx: {
    seal: Sealer;
    /** The current headers' values (opened only when the patch gives headers). */
    storedHeaders: () => Record<string, string>;
    discovered?: DiscoveredOauth2;
  },
): UpdatePlan {
  const authType = input.auth_type ?? current.authType;
  assertNoForeignAuthFields(authType, input);
  let plan = applyWrites({ next: { ...current }, changed: [] }, [
    ...authSwitchWrites(current.authType, authType),
    ...plainWrites(input),
    ...secretWrites(input, ctx.seal),
  ]);
  if (input.custom_headers !== undefined) {
    plan = applyWrites(plan, headerWrites(input.custom_headers, ctx.storedHeaders(), ctx.seal));
  }
  plan = applyWrites(plan, oauth2Writes(plan, authType, ctx.discovered));
  if (plan.changed.length > 0) assertAuthComplete(plan.next);
  return {
    ...plan,
    dropsTokens: TOKEN_BINDING_FIELDS.some((f) => plan.changed.includes(f)),
  };
}
