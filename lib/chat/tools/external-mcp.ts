import "server-only";
// The admin-registered MCP servers of a turn: which of them take part, their credentials, and
// their tool listings through the pool. The policy is asked per server before anything is
// fetched (decideServer), so a server the turn can never use is not refreshed, dialled or
// listed (docs/architecture.md, "Plan mode"). A server that cannot be used costs one notice
// and one explainer row, never the turn.
import type { Executor } from "@/db/client";
import { mcpConfigSnapshot } from "@/db/queries/mcp-config-snapshot";
import { setMcpServerStatus, type McpServerRow } from "@/db/queries/mcp-servers";
import type { ChatToolRow } from "@/lib/chat/wire";
import { SecretDecryptError } from "@/lib/crypto/envelope";
import { KeyRingError } from "@/lib/crypto/keyring";
import { followServerMove, movedText, refusedToken } from "@/lib/mcp-config/as-migration";
import { authHeadersFor } from "@/lib/mcp-config/credentials";
import { recordScopeStepUp, stepUpText } from "@/lib/mcp-config/step-up";
import { insufficientScopeOf } from "@/lib/oauth/step-up";
import { recordListing, watchPoolListings } from "@/lib/mcp-config/catalogue-sync";
import { serverPolicyOf } from "@/lib/mcp-config/policy-view";
import type { McpEndpoint, McpPool, PooledTool } from "@/lib/mcp/pool";
import { credentialValues } from "@/lib/mcp/redact";
import type { ToolReason } from "@/lib/policy/reasons";
import { decideServer, type ServerPolicy } from "@/lib/policy/tool-policy";
import { serverNotice, type Notice, type ServerFailure } from "../mcp-notices";
import type { TurnContext, TurnIdentity } from "./context";

export interface ServerTools {
  row: McpServerRow;
  /** What the policy reads of the server: its config and its tool catalogue. */
  policy: ServerPolicy;
  endpoint: McpEndpoint;
  tools: PooledTool[];
  truncated: boolean;
}

export interface ExternalServers {
  servers: ServerTools[];
  rows: ChatToolRow[];
  notices: Notice[];
}

/** Identity headers (opt-in per server); an auth header of the same name always wins. */
function identityHeaders(id: TurnIdentity, auth: Record<string, string>): Record<string, string> {
  const wanted: Record<string, string | null> = {
    "X-Toolgate-User-Id": id.userId,
    "X-Toolgate-Chat-Id": id.rootChatId,
    "X-Toolgate-Subchat-Id": id.chatId === id.rootChatId ? null : id.chatId,
    "X-Toolgate-Workspace-Id": id.workspaceId,
  };
  const taken = new Set(Object.keys(auth).map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(wanted)) {
    if (value && !taken.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

type Credentials =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; failure: ServerFailure; reason: "auth_required" | "server_unavailable" };

/**
 * The server's credentials for the user. Stored secrets that no longer decrypt (a key mix-up
 * in SECRETS_KEYS) cost this server, never the turn: it is skipped, the admin learns why from
 * the log and the server's status, the user from a notice.
 */
async function credentialsFor(
  db: Executor,
  row: McpServerRow,
  userId: string,
  inTurn: boolean,
): Promise<Credentials> {
  try {
    const auth = await authHeadersFor(db, row, userId);
    if (auth.ok) return auth;
    return { ok: false, failure: { ...auth, forUser: true }, reason: "auth_required" };
  } catch (err) {
    const keyMixUp = err instanceof SecretDecryptError || err instanceof KeyRingError;
    const message = keyMixUp
      ? "its stored credentials cannot be decrypted with the configured SECRETS_KEYS; restore the key or enter the credentials again."
      : "its stored credentials could not be read.";
    if (inTurn) {
      // The error names the key id or the failure, never a secret value.
      console.error(`[mcp] server ${row.slug} skipped: ${message}`, err);
      await setMcpServerStatus(db, row.id, { state: "error", detail: message }).catch(
        (statusErr: unknown) => console.error(`[mcp] server ${row.slug}: status`, statusErr),
      );
    }
    return {
      ok: false,
      failure: { code: "mcp.server_unavailable", message },
      reason: "server_unavailable",
    };
  }
}

/**
 * What the member is told when an oauth2 server refused the listing for a reason they can act
 * on: it wants more scope (step-up: connect again, for the union), or it moved to another
 * authorization server (connect again, there). Undefined for any other failure.
 */
async function authRefusalText(
  db: Executor,
  row: McpServerRow,
  userId: string,
  listed: { error: ServerFailure; cached: boolean; cause?: unknown },
): Promise<string | undefined> {
  if (row.authType !== "oauth2") return undefined;
  const challenge = insufficientScopeOf(listed.cause);
  if (challenge) {
    return stepUpText(row.displayName, await recordScopeStepUp(db, row, userId, challenge.scope));
  }
  if (refusedToken(row, { ...listed.error, cached: listed.cached })) {
    if (await followServerMove(db, row)) return movedText(row.displayName);
  }
  return undefined;
}

/** A row standing for every tool of a server that takes no part in the turn. */
const wholeServerRow = (row: McpServerRow, reason: ToolReason): ChatToolRow => ({
  name: `${row.slug}__*`,
  source: "mcp",
  server_id: row.id,
  available: false,
  reason,
});

/**
 * Connects the turn's servers: the chat's selected ones plus every force_on one, or with
 * `explain` every enabled server (the tools explainer lists what each would offer and why).
 */
export async function connectExternalServers(
  db: Executor,
  ctx: TurnContext,
  opts: { explain: boolean; pool: McpPool; signal?: AbortSignal },
): Promise<ExternalServers> {
  watchPoolListings(opts.pool, db);
  // The instance's snapshot of configs and catalogues (db/queries/mcp-config-snapshot.ts): one
  // indexed read when nothing changed, before any server is dialled.
  const snapshot = await mcpConfigSnapshot(db);
  const inTurn = snapshot.servers.filter(
    (r) =>
      r.enabled &&
      (opts.explain || r.availability === "force_on" || ctx.policy.selectedServerIds.has(r.id)),
  );
  const catalogues = inTurn.length > 0 ? await snapshot.governance() : new Map();
  const out: ExternalServers = { servers: [], rows: [], notices: [] };
  const unavailable = (row: McpServerRow, failure: ServerFailure, reason: ToolReason) => {
    out.notices.push(serverNotice(ctx.audience, row, failure));
    out.rows.push(wholeServerRow(row, reason));
  };

  const connected = await Promise.all(
    inTurn.map(async (row): Promise<ServerTools | null> => {
      // Before credentials and before the pool: a server the turn cannot use costs nothing.
      // The explainer still lists such a server's tools, each with its per-tool reason.
      const policy = serverPolicyOf(row, catalogues.get(row.id));
      const gate = decideServer(policy, ctx.policy);
      if (!gate.available && !opts.explain) {
        out.rows.push(wholeServerRow(row, gate.reason));
        return null;
      }
      const auth = await credentialsFor(db, row, ctx.identity.userId, !opts.explain);
      if (!auth.ok) {
        unavailable(row, auth.failure, auth.reason);
        return null;
      }
      const identity = row.forwardIdentityHeaders
        ? identityHeaders(ctx.identity, auth.headers)
        : {};
      const endpoint: McpEndpoint = {
        serverId: row.id,
        version: row.version,
        url: row.url,
        transport: row.transport,
        headers: { ...auth.headers, ...identity },
        // A dead server is remembered per endpoint and credentials, not per user or chat.
        identityHeaders: Object.keys(identity),
        // Only what authenticates: the identity headers are not secrets.
        secrets: credentialValues(auth.headers),
        userId: ctx.identity.userId,
      };
      const listed = await opts.pool.listTools(endpoint, { signal: opts.signal });
      if (!listed.ok) {
        const told = await authRefusalText(db, row, ctx.identity.userId, listed);
        if (told === undefined) unavailable(row, listed.error, "server_unavailable");
        else {
          const failure = { code: "mcp.auth_required", message: told, forUser: true };
          unavailable(row, failure, "auth_required");
        }
        return null;
      }
      // The listing updates the shared catalogue first (nothing to write on a warm turn), so a
      // definition that changed since it was pinned is judged as held, never as the old one.
      const catalogue = await recordListing(db, row, listed.tools, catalogues.get(row.id), {
        userId: ctx.identity.userId,
        truncated: listed.truncated,
      });
      return {
        row,
        policy: serverPolicyOf(row, catalogue),
        endpoint,
        tools: listed.tools,
        truncated: listed.truncated,
      };
    }),
  );
  out.servers = connected.filter((s): s is ServerTools => s !== null);
  return out;
}
