import "server-only";
import { randomUUID } from "node:crypto";
import type { Database, Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { isUniqueViolation } from "@/db/queries/errors";
import {
  deleteMcpServer,
  deleteUserTokensForServer,
  findMcpServer,
  findMcpServerBySlug,
  insertMcpServer,
  updateMcpServer,
  type McpServerInsert,
  type McpServerRow,
} from "@/db/queries/mcp-servers";
import { ApiError, Errors } from "@/lib/errors";
import type { Caller } from "@/lib/auth/caller";
import { slugify, type CreateMcpServer, type UpdateMcpServer } from "@/lib/schemas/mcp-servers";
import { authConnectedFor } from "./credentials";
import {
  assertAuthComplete,
  assertDestinationAllowed,
  assertNoForeignAuthFields,
  assertUniqueHeaderNames,
  needsDiscovery,
} from "./validation";
import { discoverOauth2 } from "./oauth2-config";
import { openCustomHeaders, sealCustomHeaders, sealServerSecret } from "./secrets";
import { planUpdate, type UpdatePlan } from "./update-plan";
import { oauth2Setup } from "@/lib/schemas/mcp-auth";
import { catalogueFollowsConfig } from "./catalogue-admin";
import { mcpServerJson } from "./serialize";

const notFound = () => Errors.notFound("mcp_server", "MCP server");

const slugConflict = () =>
  new ApiError(409, "mcp_server.slug_conflict", "Another MCP server already uses this slug.", [
    { field: "slug", detail: "is already in use" },
  ]);

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
    toolDefault: input.tool_default,
    pinToolDefinitions: input.pin_tool_definitions,
    createdBy: actor.id,
  };
  // No client given at all: discover the authorization server and register with it, under
  // the id chosen above so the registered redirect URI is the real callback.
  let abandon: (() => Promise<void>) | undefined;
  if (input.auth_type === "oauth2" && oauth2Setup(input).kind === "discover") {
    // A slug clash found after registering would leave an orphan client at the provider.
    if (await findMcpServerBySlug(db, slug)) throw slugConflict();
    const discovered = await discoverOauth2({
      serverId: id,
      url: input.url,
      transport: input.transport,
      scopes: input.oauth2_scopes,
    });
    Object.assign(row, discovered.fields);
    abandon = discovered.abandon;
  }
  assertAuthComplete({
    authType: row.authType!,
    oauth2ClientId: row.oauth2ClientId!,
    oauth2ClientSecretEnc: row.oauth2ClientSecretEnc ?? null,
    oauth2AuthUrl: row.oauth2AuthUrl!,
    oauth2TokenUrl: row.oauth2TokenUrl!,
    apiKeyHeader: row.apiKeyHeader!,
    apiKeyValueEnc: row.apiKeyValueEnc ?? null,
    customHeadersEnc: row.customHeadersEnc ?? null,
    customHeaderNames: row.customHeaderNames ?? [],
  });
  try {
    return await db.transaction(async (tx) => {
      const created = await insertMcpServer(tx, row);
      await recordAudit(tx, {
        actorId: actor.id,
        action: "mcp_server.create",
        targetType: "mcp_server",
        targetId: id,
        detail: {
          slug,
          auth_type: input.auth_type,
          enabled: input.enabled,
          ...(abandon && { oauth2_discovered: true }),
        },
      });
      return created;
    });
  } catch (err) {
    // Nothing half-created: the registration made for this config is withdrawn (RFC 7592).
    await abandon?.();
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

const stale = (version: number) =>
  new ApiError(
    412,
    "mcp_server.version_conflict",
    `This server was changed by someone else (now version ${version}). Reload and apply your edit again.`,
  );

/** Discovery and registration for a PATCH that needs them (needsDiscovery). */
async function discoverForUpdate(before: McpServerRow, input: UpdateMcpServer) {
  if (input.oauth2_client_secret) {
    throw Errors.validation(
      "oauth2_client_secret",
      "needs a client ID, authorization URL and token URL; leave all four empty for automatic discovery",
    );
  }
  assertNoForeignAuthFields("oauth2", input);
  return discoverOauth2({
    serverId: before.id,
    url: input.url ?? before.url,
    transport: input.transport ?? before.transport,
    scopes: input.oauth2_scopes ?? (before.authType === "oauth2" ? before.oauth2Scopes : ""),
  });
}

/** Stores a planned update with what follows from it: catalogue, tokens, audit. */
async function writeUpdate(tx: Executor, actor: Caller, plan: UpdatePlan): Promise<McpServerRow> {
  const { id, version: _v, createdAt: _c, updatedAt: _u, ...patch } = plan.next;
  const updated = await updateMcpServer(tx, id, patch);
  // plan_mode_tools is the writable view of the catalogue's per-tool flags; turning
  // pinning off accepts the changes it was holding.
  await catalogueFollowsConfig(tx, actor, updated, plan.changed);
  const droppedTokens = plan.dropsTokens ? await deleteUserTokensForServer(tx, id) : 0;
  await recordAudit(tx, {
    actorId: actor.id,
    action: "mcp_server.update",
    targetType: "mcp_server",
    targetId: id,
    detail: { changed: plan.changed, dropped_tokens: droppedTokens },
  });
  return updated;
}

/**
 * A PATCH: checked and planned by the pure steps of update-plan.ts on the row locked in one
 * transaction. Discovery talks to other servers for seconds: it runs before the transaction,
 * on the version read first, and the transaction refuses the edit if that version moved.
 */
export async function updateServer(
  db: Database,
  actor: Caller,
  id: string,
  input: UpdateMcpServer,
  ifMatch: number | undefined,
): Promise<McpServerRow> {
  assertDestinationAllowed("url", input.url);
  assertDestinationAllowed("oauth2_token_url", input.oauth2_token_url);
  const expected = ifMatch ?? input.version;
  const before = await findMcpServer(db, id);
  if (!before) throw notFound();
  if (expected !== undefined && expected !== before.version) throw stale(before.version);
  const discovered = needsDiscovery(before, input)
    ? await discoverForUpdate(before, input)
    : undefined;
  try {
    return await db.transaction(async (tx) => {
      const current = await findMcpServer(tx, id, { forUpdate: true });
      if (!current) throw notFound();
      if (expected !== undefined && expected !== current.version) throw stale(current.version);
      if (discovered && current.version !== before.version) throw stale(current.version);
      const plan = planUpdate(current, input, {
        seal: (column, plaintext) => sealServerSecret(column, id, plaintext),
        storedHeaders: () => openCustomHeaders(current),
        discovered: discovered?.fields,
      });
      return plan.changed.length === 0 ? current : await writeUpdate(tx, actor, plan);
    });
  } catch (err) {
    await discovered?.abandon();
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
