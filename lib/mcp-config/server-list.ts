import "server-only";
import type { Database } from "@/db/client";
import { mcpConfigSnapshot, type McpConfigSnapshot } from "@/db/queries/mcp-config-snapshot";
import type { Caller } from "@/lib/auth/caller";
import { authConnectedFor } from "./credentials";
import { mcpServerJson } from "./serialize";

// GET /api/mcp/servers's body, serialised once per config snapshot and per variant: the
// configs change rarely and are read often (every page that lists servers, every client).
// A variant is the role (members get redacted configs and only enabled ones) and the
// caller's auth_connected per server, which is worked out on every call.
const bodies = new WeakMap<McpConfigSnapshot, Map<string, string>>();
/** Variants kept per snapshot (one per role and auth state in practice). */
const MAX_VARIANTS = 32;

/** The JSON array GET /api/mcp/servers answers for this caller. */
export async function serverListJson(db: Database, caller: Caller): Promise<string> {
  const admin = caller.role === "admin";
  const snapshot = await mcpConfigSnapshot(db);
  const rows = admin ? snapshot.servers : snapshot.servers.filter((s) => s.enabled);
  const connected = await authConnectedFor(db, caller.id, rows);
  // Admins see which servers have tools waiting for review (the list's badge); a catalogue
  // change moves the snapshot's epoch, so the counts are the snapshot's.
  const pending = admin ? await snapshot.heldToolCounts() : undefined;
  let variant = admin ? "admin:" : "member:";
  for (const row of rows) variant += connected.get(row.id) ? "1" : "0";

  let cached = bodies.get(snapshot);
  const hit = cached?.get(variant);
  if (hit !== undefined) return hit;
  const body = JSON.stringify(
    rows.map((row) => ({
      ...mcpServerJson(row, { redacted: !admin, authConnected: connected.get(row.id) ?? false }),
      ...(pending && { tools_pending_review: pending.get(row.id) ?? 0 }),
    })),
  );
  if (!cached) bodies.set(snapshot, (cached = new Map()));
  if (cached.size >= MAX_VARIANTS) cached.clear();
  cached.set(variant, body);
  return body;
}
