// The admin's view of workspaces, the per-user quota, deletion, and a disabled owner's
// workspaces stopping: through the routes, against real agents.
import { existsSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, chats } from "@/db/schema";
import { findWorkspace } from "@/db/queries/workspaces";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { stopWorkspacesAfterAll } from "@/lib/testing/workspaces";
import { POST as createChat } from "@/app/api/chats/route";
import { PATCH as patchUser } from "@/app/api/users/[id]/route";
import { DELETE as deleteWorkspace, GET as getWorkspace } from "@/app/api/workspaces/[id]/route";
import { POST as createWorkspace } from "@/app/api/workspaces/route";
import { POST as adminStop } from "./[id]/stop/route";
import { GET as adminList } from "./route";

const t = withTestDatabase();
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;
const created = stopWorkspacesAfterAll(t);

beforeAll(async () => {
  admin = await seedUser(t.db, { role: "admin" });
  member = await seedUser(t.db);
});

afterAll(() => {
  delete process.env.WORKSPACE_QUOTA_PER_USER;
});

async function createWs(token: string, name = "ws") {
  const res = await call(createWorkspace, { token, body: { name, template: "empty" } });
  if (res.status === 201) created.push(res.body.id);
  return res;
}

describe("admin workspaces", () => {
  it("lists every user's workspaces with the sandbox status, and stops any of them", async () => {
    const ws = await createWs(member.token, "member's");
    expect(ws.status).toBe(201);
    expect(ws.body.status).toBe("running");

    expect((await call(adminList, { token: member.token })).status).toBe(403);
    const list = await call(adminList, { token: admin.token });
    expect(list.status).toBe(200);
    expect(list.body.sandbox).toEqual({ available: true, unsafe: false });
    const row = list.body.workspaces.find((w: { id: string }) => w.id === ws.body.id);
    expect(row).toMatchObject({
      name: "member's",
      owner_id: member.user.id,
      owner_email: member.user.email,
      owner_name: member.user.name,
      status: "running",
    });
    expect(JSON.stringify(list.body)).not.toMatch(/agent_url|token|"dir"/);

    const params = { id: ws.body.id };
    expect((await call(adminStop, { token: member.token, params })).status).toBe(403);
    const stopped = await call(adminStop, { token: admin.token, params });
    expect(stopped).toMatchObject({ status: 200, body: { id: ws.body.id, status: "stopped" } });
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, ws.body.id), eq(auditEvents.action, "workspace.stop")));
    expect(audit.map((a) => [a.actorId, (a.detail as { via?: string }).via])).toContainEqual([
      admin.user.id,
      "admin",
    ]);
    const missing = await call(adminStop, {
      token: admin.token,
      params: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expect(missing).toMatchObject({ status: 404, body: { code: "workspace.not_found" } });
  });

  it("stops a member's workspaces when an admin disables the member", async () => {
    const victim = await seedUser(t.db);
    const ws = await createWs(victim.token);
    expect(ws.body.status).toBe("running");
    const res = await call(patchUser, {
      token: admin.token,
      params: { id: victim.user.id },
      body: { disabled: true },
    });
    expect(res.status).toBe(200);
    expect((await findWorkspace(t.db, ws.body.id))?.status).toBe("stopped");
  });
});

describe("workspace quota and deletion", () => {
  it("refuses a workspace over the per-user quota with 429, and deleting one frees a place", async () => {
    process.env.WORKSPACE_QUOTA_PER_USER = "1";
    const owner = await seedUser(t.db);
    const first = await createWs(owner.token, "first");
    expect(first.status).toBe(201);
    const over = await createWs(owner.token, "second");
    expect(over).toMatchObject({ status: 429, body: { code: "workspace.quota_exceeded" } });
    expect(over.body.message).toContain("WORKSPACE_QUOTA_PER_USER=1");

    const chat = await call(createChat, {
      token: owner.token,
      body: { workspace_id: first.body.id },
    });
    expect(chat.status).toBe(201);
    const dir = (await findWorkspace(t.db, first.body.id))!.dir;
    const params = { id: first.body.id };
    // Someone else's workspace is not there for them.
    expect((await call(deleteWorkspace, { token: member.token, params })).status).toBe(404);
    expect((await call(deleteWorkspace, { token: owner.token, params })).status).toBe(204);
    expect((await call(getWorkspace, { token: owner.token, params })).status).toBe(404);
    expect(existsSync(dir)).toBe(false);
    const [detached] = await t.db.select().from(chats).where(eq(chats.id, chat.body.id));
    expect(detached?.workspaceId).toBeNull();

    expect((await createWs(owner.token, "again")).status).toBe(201);
    delete process.env.WORKSPACE_QUOTA_PER_USER;
  });
});
