import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { findWorkspace } from "@/db/queries/workspaces";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { isGone, killIfAlive } from "@/lib/workspace/agent/test-helpers";
import { stopWorkspace } from "@/lib/workspace/provisioner";
import { PATCH as patchChat } from "@/app/api/chats/[id]/route";
import { POST as createChat } from "@/app/api/chats/route";
import { GET as templates } from "@/app/api/templates/route";
import { GET as getOne } from "./[id]/route";
import { GET as mcpServers } from "./[id]/mcp/route";
import { POST as start } from "./[id]/start/route";
import { POST as stop } from "./[id]/stop/route";
import { GET as list, POST as create } from "./route";

const t = withTestDatabase();
let alice: Awaited<ReturnType<typeof seedUser>>;
let bob: Awaited<ReturnType<typeof seedUser>>;
const created: string[] = [];

beforeAll(async () => {
  alice = await seedUser(t.db);
  bob = await seedUser(t.db);
});

afterAll(async () => {
  for (const id of created) {
    const row = await findWorkspace(t.db, id).catch(() => undefined);
    if (!row) continue;
    const pid = row.agentPid;
    await stopWorkspace(t.db, row).catch(() => undefined);
    if (pid) killIfAlive(pid);
  }
});

async function createWs(token: string, body: Record<string, unknown>) {
  const res = await call(create, { token, body });
  if (res.status === 201) created.push(res.body.id);
  return res;
}

async function auditFor(id: string, action: string) {
  return t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, id), eq(auditEvents.action, action)));
}

describe("templates and workspaces API", () => {
  it("lists the templates", async () => {
    const res = await call(templates, { token: alice.token });
    expect(res.status).toBe(200);
    const names = res.body.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(["empty", "sample-node"]));
    expect(res.body[0]).toEqual({ name: expect.any(String), description: expect.any(String) });
    expect((await call(templates)).status).toBe(401);
  });

  it("creates and starts a workspace, shows it to its owner only, stops and starts it", async () => {
    const res = await createWs(alice.token, { name: "  Demo  ", template: "sample-node" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const ws = res.body;
    expect(ws).toEqual({
      id: expect.any(String),
      name: "Demo",
      template: "sample-node",
      status: "running",
      owner_id: alice.user.id,
      error: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    // No agent address, pid, directory or token in the API.
    expect(JSON.stringify(ws)).not.toMatch(/agent|token|127\.0\.0\.1|dir/);

    const mine = await call(list, { token: alice.token });
    expect(mine.body.map((w: { id: string }) => w.id)).toContain(ws.id);
    const theirs = await call(list, { token: bob.token });
    expect(theirs.body.map((w: { id: string }) => w.id)).not.toContain(ws.id);

    const got = await call(getOne, { token: alice.token, params: { id: ws.id } });
    expect(got.body).toMatchObject({ id: ws.id, status: "running" });
    const hidden = await call(getOne, { token: bob.token, params: { id: ws.id } });
    const missing = await call(getOne, {
      token: bob.token,
      params: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    expect((await call(getOne, { token: alice.token, params: { id: "nope" } })).status).toBe(400);
    expect(
      (await call(stop, { token: bob.token, params: { id: ws.id }, method: "POST" })).status,
    ).toBe(404);

    const servers = await call(mcpServers, {
      token: alice.token,
      params: { id: ws.id },
      path: "/api/workspaces/x/mcp?refresh=true",
    });
    expect(servers.status, JSON.stringify(servers.body)).toBe(200);
    expect(servers.body.servers).toEqual([
      { name: "notes", transport: "stdio", status: "ok", tools_count: 2, admitted: true },
    ]);
    expect(servers.body.tools.map((tool: { name: string }) => tool.name)).toEqual([
      "notes__add_note",
      "notes__list_notes",
    ]);

    const pid = (await findWorkspace(t.db, ws.id))!.agentPid!;
    const stopped = await call(stop, { token: alice.token, params: { id: ws.id }, method: "POST" });
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe("stopped");
    expect(isGone(pid)).toBe(true);
    const notRunning = await call(mcpServers, { token: alice.token, params: { id: ws.id } });
    expect(notRunning.status).toBe(409);
    expect(notRunning.body.code).toBe("workspace.not_running");

    const restarted = await call(start, {
      token: alice.token,
      params: { id: ws.id },
      method: "POST",
    });
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(200);
    expect(restarted.body.status).toBe("running");

    expect(await auditFor(ws.id, "workspace.create")).toHaveLength(1);
    expect(await auditFor(ws.id, "workspace.start")).toHaveLength(2);
    const stops = await auditFor(ws.id, "workspace.stop");
    expect(stops).toHaveLength(1);
    expect(stops[0]!.actorId).toBe(alice.user.id);
  });

  it("validates the body strictly", async () => {
    const unknown = await call(create, {
      token: alice.token,
      body: { name: "x", template: "empty", dir: "/etc" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe("validation.unknown_field");
    const noName = await call(create, {
      token: alice.token,
      body: { name: " ", template: "empty" },
    });
    expect(noName.status).toBe(400);
    const badTemplate = await call(create, {
      token: alice.token,
      body: { name: "x", template: "../../etc" },
    });
    expect(badTemplate.status).toBe(400);
    expect(badTemplate.body.code).toBe("workspace.unknown_template");
    expect((await call(create, { body: { name: "x", template: "empty" } })).status).toBe(401);
  });

  it("lets a chat point at its owner's workspace only", async () => {
    const ws = (await createWs(alice.token, { name: "For chats", template: "empty" })).body;
    const chat = (await call(createChat, { token: alice.token, body: {} })).body;
    const attached = await call(patchChat, {
      token: alice.token,
      method: "PATCH",
      params: { id: chat.id },
      body: { workspace_id: ws.id },
    });
    expect(attached.status, JSON.stringify(attached.body)).toBe(200);
    expect(attached.body.workspace_id).toBe(ws.id);

    const bobChat = (await call(createChat, { token: bob.token, body: {} })).body;
    const foreign = await call(patchChat, {
      token: bob.token,
      method: "PATCH",
      params: { id: bobChat.id },
      body: { workspace_id: ws.id },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe("chat.workspace_not_allowed");
    const foreignCreate = await call(createChat, {
      token: bob.token,
      body: { workspace_id: ws.id },
    });
    expect(foreignCreate.status).toBe(400);

    const detached = await call(patchChat, {
      token: alice.token,
      method: "PATCH",
      params: { id: chat.id },
      body: { workspace_id: null },
    });
    expect(detached.body.workspace_id).toBeNull();
  });
});
