import "server-only";
import { randomUUID } from "node:crypto";
import type { Database, Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { isUniqueViolation } from "@/db/queries/errors";
import {
  deleteMcpServer,
  deleteUserTokensForServer,
  findMcpServer,
  insertMcpServer,
  listMcpServers,
  updateMcpServer,
  type McpServerInsert,
  type McpServerRow,
} from "@/db/queries/mcp-servers";
import { ApiError, Errors, type FieldProblem } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { checkUrlDestination } from "@/lib/net/address-policy";
import { getEgressAllowlist } from "@/lib/net/egress";
import {
  slugify,
  type AuthType,
  type CreateMcpServer,
  type UpdateMcpServer,
} from "@/lib/schemas/mcp-servers";
import { authConnectedFor } from "./credentials";
import { openCustomHeaders, sealCustomHeaders, sealServerSecret } from "./secrets";
import { mcpServerJson } from "./serialize";

const notFound = () => Errors.notFound("mcp_server", "MCP server");

/** Fields that belong to one auth type; they must be empty under any other. */
const AUTH_FIELDS: Record<Exclude<AuthType, "none" | "user_oidc">, readonly string[]> = {
  oauth2: [
    "oauth2_client_id",
    "oauth2_client_secret",
    "oauth2_auth_url",
    "oauth2_token_url",
    "oauth2_scopes",
  ],
  api_key: ["api_key_header", "api_key_value"],
  custom_headers: ["custom_headers"],
};

function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === "" ||
    (typeof value === "object" && Object.keys(value as object).length === 0)
  );
}

function assertNoForeignAuthFields(authType: AuthType, body: Record<string, unknown>): void {
  const problems: FieldProblem[] = [];
  for (const [type, fields] of Object.entries(AUTH_FIELDS)) {
    if (type === authType) continue;
    for (const field of fields) {
      if (!isEmptyValue(body[field])) {
        problems.push({ field, detail: `applies only when auth_type is ${type}` });
      }
    }
  }
  if (problems.length > 0) {
    throw new ApiError(
      400,
      "validation.invalid",
      `${problems[0]!.field} ${problems[0]!.detail}.`,
      problems,
    );
  }
}

/** Literal addresses and names like localhost are refused at once (security.md point 3). */
function assertDestinationAllowed(field: string, url: string | undefined): void {
  if (!url) return;
  const check = checkUrlDestination(url, getEgressAllowlist());
  if (check.ok) return;
  const detail =
    check.code === "egress.destination_not_allowed"
      ? "points to a loopback, private, link-local or metadata address; list it in EGRESS_ALLOWLIST to allow it"
      : "is not a valid http(s) URL";
  throw new ApiError(
    400,
    check.code === "egress.destination_not_allowed" ? check.code : "validation.invalid",
    `${field} ${detail}.`,
    [{ field, detail }],
  );
}

/** The state a config must be in for its auth type to work. */
function assertAuthComplete(row: {
  authType: string;
  oauth2ClientId: string;
  oauth2AuthUrl: string;
  oauth2TokenUrl: string;
  apiKeyHeader: string;
  apiKeyValueEnc: string | null;
  customHeadersEnc: string | null;
}): void {
  if (row.authType === "api_key") {
    const problems: FieldProblem[] = [];
    if (!row.apiKeyHeader)
      problems.push({ field: "api_key_header", detail: "is required for auth_type api_key" });
    if (!row.apiKeyValueEnc)
      problems.push({ field: "api_key_value", detail: "is required for auth_type api_key" });
    if (problems.length) {
      throw new ApiError(
        400,
        "mcp_server.auth_type_incomplete",
        "An API key needs a header name and a value.",
        problems,
      );
    }
  }
  if (row.authType === "custom_headers" && !row.customHeadersEnc) {
    throw new ApiError(
      400,
      "mcp_server.auth_type_incomplete",
      "Custom headers need at least one header.",
      [{ field: "custom_headers", detail: "needs at least one header" }],
    );
  }
  if (row.authType === "oauth2") {
    const given = [row.oauth2ClientId, row.oauth2AuthUrl, row.oauth2TokenUrl].filter(
      Boolean,
    ).length;
    if (given === 3) return;
    if (given > 0) {
      const missing = (
        [
          ["oauth2_client_id", row.oauth2ClientId],
          ["oauth2_auth_url", row.oauth2AuthUrl],
          ["oauth2_token_url", row.oauth2TokenUrl],
        ] as const
      )
        .filter(([, v]) => !v)
        .map(([f]) => ({ field: f, detail: "is required when any OAuth2 field is given" }));
      throw new ApiError(
        400,
        "mcp_server.oauth2_partial",
        "Give the client ID, authorization URL and token URL together, or leave all three empty for automatic discovery.",
        missing,
      );
    }
    throw new ApiError(
      400,
      "mcp_server.oauth2_discovery_failed",
      "Automatic OAuth2 discovery is not available yet: enter the client ID, authorization URL and token URL.",
      [{ field: "oauth2_client_id", detail: "is required until automatic discovery is available" }],
    );
  }
}

function headerNamesCaseClash(names: string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    if (seen.has(lower)) return name;
    seen.add(lower);
  }
  return undefined;
}

function assertUniqueHeaderNames(names: string[]): void {
  const clash = headerNamesCaseClash(names);
  if (clash) {
    throw new ApiError(
      400,
      "validation.invalid",
      `custom_headers.${clash} repeats a header name.`,
      [
        {
          field: `custom_headers.${clash}`,
          detail: "repeats a header name (names are case-insensitive)",
        },
      ],
    );
  }
}

const slugConflict = () =>
  new ApiError(409, "mcp_server.slug_conflict", "Another MCP server already uses this slug.", [
    { field: "slug", detail: "is already in use" },
  ]);

export async function listServersFor(db: Database, caller: Caller) {
  const admin = caller.role === "admin";
  const rows = await listMcpServers(db, { enabledOnly: !admin });
  const connected = await authConnectedFor(db, caller.id, rows);
  return rows.map((row) =>
    mcpServerJson(row, { redacted: !admin, authConnected: connected.get(row.id) ?? false }),
  );
}

/** A config the caller may see: members never see disabled ones (404, same as missing). */
export async function getVisibleServer(
  db: Executor,
  caller: Caller,
  id: string,
): Promise<McpServerRow> {
  const row = await findMcpServer(db, id);
  if (!row || (caller.role !== "admin" && !row.enabled)) throw notFound();
  return row;
}

export async function serverJsonFor(db: Executor, caller: Caller, row: McpServerRow) {
  const connected = await authConnectedFor(db, caller.id, [row]);
  return mcpServerJson(row, {
    redacted: caller.role !== "admin",
    authConnected: connected.get(row.id) ?? false,
  });
}

export async function createServer(
  db: Database,
  actor: Caller,
  input: CreateMcpServer,
): Promise<McpServerRow> {
  const slug = input.slug ?? slugify(input.display_name);
  if (!slug) {
    throw new ApiError(
      400,
      "validation.invalid",
      "slug is required: the display name has no letters or digits.",
      [{ field: "slug", detail: "is required" }],
    );
  }
  assertNoForeignAuthFields(input.auth_type, input);
  assertDestinationAllowed("url", input.url);
  assertDestinationAllowed("oauth2_token_url", input.oauth2_token_url);
  const headerNames = Object.keys(input.custom_headers);
  assertUniqueHeaderNames(headerNames);

  // The id is chosen here so secrets can be sealed to their row before the insert.
  const id = randomUUID();
  const row: McpServerInsert = {
    id,
    displayName: input.display_name,
    slug,
    description: input.description,
    iconUrl: input.icon_url,
    url: input.url,
    transport: input.transport,
    authType: input.auth_type,
    oauth2ClientId: input.oauth2_client_id,
    oauth2ClientSecretEnc: input.oauth2_client_secret
      ? sealServerSecret("oauth2_client_secret_enc", id, input.oauth2_client_secret)
      : null,
    oauth2AuthUrl: input.oauth2_auth_url,
    oauth2TokenUrl: input.oauth2_token_url,
    oauth2Scopes: input.oauth2_scopes,
    apiKeyHeader: input.api_key_header,
    apiKeyValueEnc: input.api_key_value
      ? sealServerSecret("api_key_value_enc", id, input.api_key_value)
      : null,
    customHeadersEnc: sealCustomHeaders(id, input.custom_headers),
    customHeaderNames: headerNames,
    toolAllowList: input.tool_allow_list,
    toolDenyList: input.tool_deny_list,
    availability: input.availability,
    enabled: input.enabled,
    modelIntent: input.model_intent,
    allowInPlanMode: input.allow_in_plan_mode,
    planModeTools: input.plan_mode_tools,
    forwardIdentityHeaders: input.forward_identity_headers,
    createdBy: actor.id,
  };
  assertAuthComplete({
    authType: row.authType!,
    oauth2ClientId: row.oauth2ClientId!,
    oauth2AuthUrl: row.oauth2AuthUrl!,
    oauth2TokenUrl: row.oauth2TokenUrl!,
    apiKeyHeader: row.apiKeyHeader!,
    apiKeyValueEnc: row.apiKeyValueEnc ?? null,
    customHeadersEnc: row.customHeadersEnc ?? null,
  });
  try {
    return await db.transaction(async (tx) => {
      const created = await insertMcpServer(tx, row);
      await recordAudit(tx, {
        actorId: actor.id,
        action: "mcp_server.create",
        targetType: "mcp_server",
        targetId: id,
        detail: { slug, auth_type: input.auth_type, enabled: input.enabled },
      });
      return created;
    });
  } catch (err) {
    if (isUniqueViolation(err, "mcp_server_configs_slug_key")) throw slugConflict();
    throw err;
  }
}

/** Parses `If-Match: 3`, `"3"` or `W/"3"`. */
export function parseIfMatch(header: string | null): number | undefined {
  if (header === null) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    throw new ApiError(400, "validation.invalid", "If-Match must be the config's version number.", [
      { field: "If-Match", detail: "must be a version number" },
    ]);
  }
  return Number(match[1]);
}

// Body keys → column names, for the plain (non-secret) fields a PATCH may set.
const PLAIN_FIELDS = {
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
} as const satisfies Record<string, keyof McpServerRow>;

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function updateServer(
  db: Database,
  actor: Caller,
  id: string,
  input: UpdateMcpServer,
  ifMatch: number | undefined,
): Promise<McpServerRow> {
  assertDestinationAllowed("url", input.url);
  assertDestinationAllowed("oauth2_token_url", input.oauth2_token_url);
  try {
    return await db.transaction(async (tx) => {
      const current = await findMcpServer(tx, id, { forUpdate: true });
      if (!current) throw notFound();
      const expected = ifMatch ?? input.version;
      if (expected !== undefined && expected !== current.version) {
        throw new ApiError(
          412,
          "mcp_server.version_conflict",
          `This server was changed by someone else (now version ${current.version}). Reload and apply your edit again.`,
        );
      }
      const authType = (input.auth_type ?? current.authType) as AuthType;
      assertNoForeignAuthFields(authType, input);

      const next: McpServerRow = { ...current };
      const changed: string[] = [];
      const set = <K extends keyof McpServerRow>(key: K, value: McpServerRow[K], field: string) => {
        if (sameValue(next[key], value)) return;
        next[key] = value;
        if (!changed.includes(field)) changed.push(field);
      };

      // Switching auth type clears what belonged to the old type (security: no stale secret
      // lingers for a type the admin no longer uses).
      if (authType !== current.authType) {
        if (authType !== "oauth2") {
          set("oauth2ClientId", "", "oauth2_client_id");
          set("oauth2ClientSecretEnc", null, "oauth2_client_secret");
          set("oauth2AuthUrl", "", "oauth2_auth_url");
          set("oauth2TokenUrl", "", "oauth2_token_url");
          set("oauth2Scopes", "", "oauth2_scopes");
        }
        if (authType !== "api_key") {
          set("apiKeyHeader", "", "api_key_header");
          set("apiKeyValueEnc", null, "api_key_value");
        }
        if (authType !== "custom_headers") {
          set("customHeadersEnc", null, "custom_headers");
          set("customHeaderNames", [], "custom_headers");
        }
      }

      for (const [field, column] of Object.entries(PLAIN_FIELDS)) {
        const value = input[field as keyof UpdateMcpServer];
        if (value !== undefined) set(column, value as never, field);
      }
      if (input.oauth2_client_secret !== undefined) {
        set(
          "oauth2ClientSecretEnc",
          input.oauth2_client_secret
            ? sealServerSecret("oauth2_client_secret_enc", id, input.oauth2_client_secret)
            : null,
          "oauth2_client_secret",
        );
      }
      if (input.api_key_value !== undefined) {
        set(
          "apiKeyValueEnc",
          input.api_key_value
            ? sealServerSecret("api_key_value_enc", id, input.api_key_value)
            : null,
          "api_key_value",
        );
      }
      if (input.custom_headers !== undefined) {
        const names = Object.keys(input.custom_headers);
        assertUniqueHeaderNames(names);
        const stored = openCustomHeaders(current);
        const merged: Record<string, string> = {};
        for (const name of names) {
          const value = input.custom_headers[name];
          if (value === null || value === undefined) {
            const kept = stored[name];
            if (kept === undefined) {
              throw new ApiError(
                400,
                "validation.invalid",
                `custom_headers.${name} has no stored value to keep.`,
                [
                  {
                    field: `custom_headers.${name}`,
                    detail: "has no stored value to keep; give a value",
                  },
                ],
              );
            }
            merged[name] = kept;
          } else {
            merged[name] = value;
          }
        }
        if (!sameValue(merged, stored)) {
          next.customHeadersEnc = sealCustomHeaders(id, merged);
          next.customHeaderNames = names;
          if (!changed.includes("custom_headers")) changed.push("custom_headers");
        }
      }

      if (changed.length === 0) return current;
      assertAuthComplete(next);

      const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...patch } = next;
      const updated = await updateMcpServer(tx, id, patch);
      // A token must never reach an origin it was not issued for (security.md point 5).
      let droppedTokens = 0;
      if (changed.includes("url") || changed.includes("auth_type")) {
        droppedTokens = await deleteUserTokensForServer(tx, id);
      }
      await recordAudit(tx, {
        actorId: actor.id,
        action: "mcp_server.update",
        targetType: "mcp_server",
        targetId: id,
        detail: { changed, dropped_tokens: droppedTokens },
      });
      return updated;
    });
  } catch (err) {
    if (isUniqueViolation(err, "mcp_server_configs_slug_key")) throw slugConflict();
    throw err;
  }
}

export async function removeServer(db: Database, actor: Caller, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await findMcpServer(tx, id, { forUpdate: true });
    if (!current) throw notFound();
    await deleteMcpServer(tx, id);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "mcp_server.delete",
      targetType: "mcp_server",
      targetId: id,
      detail: { slug: current.slug },
    });
  });
}
