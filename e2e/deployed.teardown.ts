// Deployed mode, after the specs (also when they failed): remove what this run created, found
// by RUN_PREFIX. MCP servers and model providers are deleted; users are disabled, since the API
// has no user deletion (disabling also ends their sessions and stops their workspaces).
import fs from "node:fs";
import { expect, test as teardown } from "@playwright/test";
import { adminJson, adminRequest } from "./support/admin-api";
import { ADMIN_STATE, RUN_PREFIX } from "./support/constants";
import { FACTS_FILE } from "./support/deployment";

interface Named {
  id: string;
  slug?: string;
  display_name?: string;
  email?: string;
  disabled?: boolean;
}

const ours = (value: string | undefined) => value?.startsWith(RUN_PREFIX) ?? false;
const list = (path: string) => adminJson<Named[]>("GET", path, 200);

teardown("what this run created is removed", async () => {
  for (const server of await list("/api/mcp/servers")) {
    if (!ours(server.slug) && !ours(server.display_name)) continue;
    const res = await adminRequest("DELETE", `/api/mcp/servers/${server.id}`);
    expect([204, 404], `delete server ${server.slug}: ${res.text}`).toContain(res.status);
  }
  for (const provider of await list("/api/model-providers")) {
    if (!ours(provider.display_name)) continue;
    const res = await adminRequest("DELETE", `/api/model-providers/${provider.id}`);
    expect([204, 404], `delete provider ${provider.display_name}: ${res.text}`).toContain(
      res.status,
    );
  }
  for (const user of await list("/api/users")) {
    if (!ours(user.email) || user.disabled) continue;
    await adminJson("PATCH", `/api/users/${user.id}`, 200, { disabled: true });
  }
  // Nothing of ours is left, and every user of ours is disabled.
  const servers = await list("/api/mcp/servers");
  expect(servers.filter((s) => ours(s.slug) || ours(s.display_name))).toEqual([]);
  expect((await list("/api/model-providers")).filter((p) => ours(p.display_name))).toEqual([]);
  expect((await list("/api/users")).filter((u) => ours(u.email) && !u.disabled)).toEqual([]);
  fs.rmSync(ADMIN_STATE, { force: true });
  fs.rmSync(FACTS_FILE, { force: true });
});
