// Shared setup of the route-level tests that run real turns against hostile MCP servers: the
// shared turn fixtures (turn-fixtures.ts) with the hostile MCP test server
// (e2e/fixtures/mcp-hostile.ts) and a fresh database of their own.
import { afterEach, vi } from "vitest";
import { withTestDatabase } from "./db";
import { withTurnFixtures, type StoredPart } from "./turn-fixtures";

export type { StoredPart };

export function withHostileTurns() {
  const t = withTestDatabase();
  const fixtures = withTurnFixtures(t, {
    mcp: { hostile: true },
    label: "Hostile",
    slugPrefix: "hostile",
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return Object.defineProperty(fixtures, "db", {
    get: () => t.db,
    enumerable: true,
  }) as typeof fixtures & {
    readonly db: typeof t.db;
  };
}

export const noticesOf = (parts: StoredPart[]) => parts.filter((p) => p.type === "notice");
