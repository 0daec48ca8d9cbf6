// Workspaces a test file starts run real agents: every id pushed to the returned list is
// stopped after the file's tests, whatever state they were left in.
import { afterAll } from "vitest";
import type { Database } from "@/db/client";
import { findWorkspace } from "@/db/queries/workspaces";
import { stopWorkspace } from "@/lib/workspace/provisioner";

export function stopWorkspacesAfterAll(t: { readonly db: Database }): string[] {
  const ids: string[] = [];
  afterAll(async () => {
    for (const id of ids) {
      const row = await findWorkspace(t.db, id).catch(() => undefined);
      if (row) await stopWorkspace(t.db, row).catch(() => undefined);
    }
  });
  return ids;
}
