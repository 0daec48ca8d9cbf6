// Deployed mode, after the specs (also when they failed): remove what this run created, found
// by RUN_PREFIX. MCP servers and model providers are deleted; users are disabled, since the API
// has no user deletion (disabling also ends their sessions and stops their workspaces).
import fs from "node:fs";
import { expect, test as teardown } from "@playwright/test";
import { ADMIN_STATE, ADMIN_TOKEN, APP_URL, RUN_PREFIX } from "./support/constants";
import { FACTS_FILE } from "./support/deployment";

interface Named {
  id: string;
  slug?: string;
  display_name?: string;
  email?: string;
  disabled?: boolean;
}

teardown("what this run created is removed", async ({ playwright }) => {
  const api = await playwright.request.newContext({
    baseURL: APP_URL,
    extraHTTPHeaders: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const list = async (path: string) => {
    const res = await api.get(path);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as Named[];
  };
  const ours = (value: string | undefined) => value?.startsWith(RUN_PREFIX) ?? false;

  for (const server of await list("/api/mcp/servers")) {
    if (!ours(server.slug) && !ours(server.display_name)) continue;
    const res = await api.delete(`/api/mcp/servers/${server.id}`);
    expect([204, 404], `delete server ${server.slug}`).toContain(res.status());
  }
  for (const provider of await list("/api/model-providers")) {
    if (!ours(provider.display_name)) continue;
    const res = await api.delete(`/api/model-providers/${provider.id}`);
    expect([204, 404], `delete provider ${provider.display_name}`).toContain(res.status());
  }
  for (const user of await list("/api/users")) {
    if (!ours(user.email) || user.disabled) continue;
    const res = await api.patch(`/api/users/${user.id}`, { data: { disabled: true } });
    expect(res.status(), `disable ${user.email}: ${await res.text()}`).toBe(200);
  }
  // Nothing of ours is left enabled.
  expect((await list("/api/mcp/servers")).filter((s) => ours(s.slug))).toEqual([]);
  expect((await list("/api/model-providers")).filter((p) => ours(p.display_name))).toEqual([]);
  await api.dispose();
  fs.rmSync(ADMIN_STATE, { force: true });
  fs.rmSync(FACTS_FILE, { force: true });
});
