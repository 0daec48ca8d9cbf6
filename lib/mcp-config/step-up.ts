import "server-only";
// Step-up for a member's OAuth2 connection (lib/oauth/step-up.ts has the protocol side). A
// toolgate member authorizes in a browser, so a 403 insufficient_scope cannot be answered in
// the middle of a turn: the challenged scopes are added to the scopes of the member's
// connection (its `scope` column: what was granted, plus what the server has since asked
// for), the connection is marked for reconnection, and the member is told to connect again.
// That Connect requests the union (startOauth2Connect), so the new consent covers both.
import type { Executor } from "@/db/client";
import { findUserToken, markTokenForStepUp } from "@/db/queries/mcp-oauth";
import type { McpServerRow, McpUserTokenRow } from "@/db/queries/mcp-servers";
import { scopeUnion, stepUpScope } from "@/lib/oauth/step-up";

export type StepUpOutcome =
  /** A new consent is needed: the member must connect again, which asks for `scope`. */
  | { kind: "reconnect"; scope: string }
  /** The challenge names nothing new (or no connection exists): connecting again won't help. */
  | { kind: "refused" };

/** Records a scope challenge from `row`'s server against `userId`'s connection. */
export async function recordScopeStepUp(
  db: Executor,
  row: Pick<McpServerRow, "id" | "oauth2Scopes">,
  userId: string,
  challenged: string,
): Promise<StepUpOutcome> {
  const token = await findUserToken(db, row.id, userId);
  if (!token) return { kind: "refused" };
  const next = stepUpScope(token.scope ?? row.oauth2Scopes, challenged);
  if (next === null) return { kind: "refused" };
  await markTokenForStepUp(db, token.id, next);
  return { kind: "reconnect", scope: next };
}

/**
 * The scope a member's Connect asks for: the server's, plus, while the connection waits to be
 * authorized again, the scopes it had and any the server stepped up to.
 */
export async function connectScope(
  db: Executor,
  row: Pick<McpServerRow, "id" | "oauth2Scopes">,
  userId: string,
): Promise<string> {
  return requestedScope(row, await findUserToken(db, row.id, userId));
}

/** connectScope for a connection already read. */
export function requestedScope(
  row: Pick<McpServerRow, "oauth2Scopes">,
  token: Pick<McpUserTokenRow, "needsReconnect" | "scope"> | undefined,
): string {
  return token?.needsReconnect ? scopeUnion(row.oauth2Scopes, token.scope ?? "") : row.oauth2Scopes;
}

/** What the member reads in the tool result. */
export function stepUpText(displayName: string, outcome: StepUpOutcome): string {
  return outcome.kind === "reconnect"
    ? `${displayName} needs more permission for this (scope "${outcome.scope}"). Connect to it again to grant it, then retry.`
    : `${displayName} refused this even with the permission already granted (insufficient scope).`;
}
