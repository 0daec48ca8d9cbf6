import "server-only";
// An MCP server that moved to another authorization server (SEP-2352). A client registration
// belongs to the authorization server that issued it, and so do its tokens: when the server's
// protected resource metadata no longer names the issuer a config was registered with (strict
// string comparison), toolgate discovers the new one and registers there anew, stores that
// client in place of the old one and drops every member's tokens in the same transaction, so
// no token or refresh token of the old server is ever sent to the new one. Members connect
// again (a new consent at the new server). Looked at when the server refuses a member's token:
// that is when a move shows.
import type { Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import {
  deleteUserTokensForServer,
  findMcpServer,
  updateMcpServer,
  type McpServerRow,
} from "@/db/queries/mcp-servers";
import { discoverAuthorization, OAuthDiscoveryError } from "@/lib/oauth/discovery";
import { OAuthNetworkError } from "@/lib/oauth/http";
import { ApiError } from "@/lib/errors";
import { discoverOauth2, type DiscoveredOauth2 } from "./oauth2-config";

/** The columns of a config this looks at. */
export type MovableConfig = Pick<
  McpServerRow,
  "id" | "url" | "transport" | "authType" | "oauth2Issuer" | "oauth2Scopes" | "oauth2Discovered"
>;

export type AuthorizationServerCheck =
  | { moved: false }
  | {
      moved: true;
      /** The new client and endpoints, to store in place of the old ones. */
      fields: DiscoveredOauth2;
      /** Undoes the registration when it is not stored after all. */
      abandon: () => Promise<void>;
    };

/**
 * Whether the server's metadata names another authorization server than the one `config` was
 * set up with, and if so a client set up there. Only for a config toolgate discovered itself:
 * a client an admin entered by hand is the admin's to change. Network trouble is "not moved":
 * the refusal is then reported as it is.
 */
export async function followAuthorizationServer(
  config: MovableConfig,
  opts: { clientMetadataUrl?: string | null } = {},
): Promise<AuthorizationServerCheck> {
  if (config.authType !== "oauth2" || !config.oauth2Discovered || config.oauth2Issuer === "") {
    return { moved: false };
  }
  let found;
  try {
    found = await discoverAuthorization(config.url, config.transport, {
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    if (error instanceof OAuthDiscoveryError || error instanceof OAuthNetworkError) {
      return { moved: false };
    }
    throw error;
  }
  const named =
    found.authorizationServers.length > 0 ? found.authorizationServers : [found.metadata.issuer];
  if (named.includes(config.oauth2Issuer)) return { moved: false };
  try {
    const setUp = await discoverOauth2({
      serverId: config.id,
      url: config.url,
      transport: config.transport,
      scopes: config.oauth2Scopes,
      found,
      ...(opts.clientMetadataUrl !== undefined && { clientMetadataUrl: opts.clientMetadataUrl }),
    });
    return { moved: true, ...setUp };
  } catch (error) {
    // Registration at the new server failed (ApiError from discoverOauth2): nothing changes.
    if (error instanceof ApiError) return { moved: false };
    throw error;
  }
}

// One check per server at a time on this instance: members refused together share it.
const inflight = new Map<string, Promise<boolean>>();

/**
 * After `row`'s server refused a member's OAuth2 token: follows a move to another
 * authorization server (see above). True when the config now uses the new one (this call or
 * a concurrent one moved it), so the member must connect again. Never throws.
 */
export function followServerMove(db: Executor, row: McpServerRow): Promise<boolean> {
  const running = inflight.get(row.id);
  if (running) return running;
  const check = moveServer(db, row)
    .catch((error: unknown) => {
      // A hostile or broken server costs this one refusal its explanation, nothing more.
      console.warn(`[oauth] server ${row.id}: authorization server check failed`, error);
      return false;
    })
    .finally(() => inflight.delete(row.id));
  inflight.set(row.id, check);
  return check;
}

async function moveServer(db: Executor, row: McpServerRow): Promise<boolean> {
  const check = await followAuthorizationServer(row);
  if (!check.moved) return false;
  let stored = false;
  try {
    stored = await db.transaction(async (tx) => {
      const current = await findMcpServer(tx, row.id, { forUpdate: true });
      // Edited meanwhile (by an admin, or by another instance that moved it first).
      if (!current || current.version !== row.version) return false;
      await updateMcpServer(tx, row.id, check.fields);
      const dropped = await deleteUserTokensForServer(tx, row.id);
      await recordAudit(tx, {
        actorId: null,
        action: "mcp_server.oauth2_migrate",
        targetType: "mcp_server",
        targetId: row.id,
        detail: { from: row.oauth2Issuer, to: check.fields.oauth2Issuer, dropped_tokens: dropped },
      });
      return true;
    });
  } finally {
    if (!stored) await check.abandon().catch(() => undefined);
  }
  if (stored) return true;
  const current = await findMcpServer(db, row.id);
  return current !== undefined && current.oauth2Issuer !== row.oauth2Issuer;
}

/**
 * Whether a failure is an oauth2 server refusing the member's token: worth a look for a move
 * (a failure answered from the negative cache was looked at when it first happened).
 */
export function refusedToken(
  row: Pick<McpServerRow, "authType">,
  failure: { code: string; cached?: boolean },
): boolean {
  return row.authType === "oauth2" && failure.code === "mcp.auth_required" && !failure.cached;
}

/** What the member reads when the server moved. */
export function movedText(displayName: string): string {
  return `${displayName} now signs in through a different authorization server, so every connection to it was reset. Connect your account again to use it.`;
}
