// Shared setup of the approval and audit integration tests: the fake model, a real MCP SDK test
// server registered by an admin, a member with a chat, and helpers to make a tool
// approval-required (through the catalogue table, the real storage of per-tool rules), send a
// message, answer an approval and wait for the resumed turn.
import { afterAll, beforeAll, expect } from "vitest";
import { and, eq } from "drizzle-orm";
import { startFakeOpenAI, type FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import { startMcpTestServer, type RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import type { Database } from "@/db/client";
import { chats, mcpServerConfigs, mcpServerTools, modelProviders, turns } from "@/db/schema";
import { POST as createChat } from "@/app/api/chats/route";
import { GET as getChat } from "@/app/api/chats/[id]/route";
import { POST as send } from "@/app/api/chats/[id]/messages/route";
import { GET as listApprovals } from "@/app/api/chats/[id]/approvals/route";
import { POST as answer } from "@/app/api/chats/[id]/approvals/[approval_id]/route";
import { POST as createServer } from "@/app/api/mcp/servers/route";
import { getMcpPool } from "@/lib/mcp/pool";
import type { Approval, ChatWithMessages } from "@/lib/client/types";
import { call } from "./http";
import { seedUser } from "./fixtures";

type Seeded = Awaited<ReturnType<typeof seedUser>>;

export function withApprovalTurns(t: { readonly db: Database }) {
  let fake: FakeOpenAI | undefined;
  let mcp: RunningMcpTestServer | undefined;
  let admin: Seeded | undefined;
  let member: Seeded | undefined;
  let counter = 0;
  const previousAllowlist = process.env.EGRESS_ALLOWLIST;

  beforeAll(async () => {
    process.env.EGRESS_ALLOWLIST = "127.0.0.1";
    fake = await startFakeOpenAI();
    mcp = await startMcpTestServer({});
    admin = await seedUser(t.db, { role: "admin" });
    member = await seedUser(t.db, { role: "member" });
    await t.db.insert(modelProviders).values({
      kind: "openai-compatible",
      displayName: "Fake",
      baseUrl: fake.url,
      models: ["fake-model"],
      defaultModel: "fake-model",
    });
  });
  afterAll(async () => {
    await getMcpPool().close();
    await fake?.close();
    await mcp?.close();
    if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
    else process.env.EGRESS_ALLOWLIST = previousAllowlist;
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("approval harness not started");
    return value;
  };

  const h = {
    get fake() {
      return ready(fake);
    },
    get mcp() {
      return ready(mcp);
    },
    get admin() {
      return ready(admin);
    },
    get member() {
      return ready(member);
    },
    key(label: string) {
      counter += 1;
      return `${label}-${counter}-${Date.now()}`;
    },
    /** An enabled server on the MCP test server, made by the admin. */
    async server(over: Record<string, unknown> = {}) {
      counter += 1;
      const res = await call(createServer, {
        token: ready(admin).token,
        body: {
          display_name: `Approvals ${counter}`,
          slug: `appr${counter}`,
          url: ready(mcp).mcpUrl,
          enabled: true,
          auth_type: "none",
          ...over,
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; slug: string; display_name: string };
    },
    /** Rule "approval" for one tool, written to the catalogue. */
    async requireApproval(db: Database, serverId: string, name: string) {
      // Definitions are not pinned here: the test writes the row before any listing.
      await db
        .update(mcpServerConfigs)
        .set({ pinToolDefinitions: false })
        .where(eq(mcpServerConfigs.id, serverId));
      await db
        .insert(mcpServerTools)
        .values({
          serverId,
          name,
          definition: { name },
          definitionHash: `sha256:${"0".repeat(64)}`,
          approvedHash: `sha256:${"0".repeat(64)}`,
          rule: "approval",
        })
        .onConflictDoUpdate({
          target: [mcpServerTools.serverId, mcpServerTools.name],
          set: { rule: "approval" },
        });
    },
    async newChat(token: string, ids: string[]) {
      const res = await call(createChat, { token, body: { mcp_server_ids: ids } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string };
    },
    sendJson(token: string, chatId: string, content: string) {
      return call<{ message: { status: string; parts: any[] }; chat: { status: string } }>(send, {
        token,
        params: { id: chatId },
        body: { content },
        headers: { accept: "application/json" },
      });
    },
    approvals(token: string, chatId: string) {
      return call<Approval[]>(listApprovals, { token, params: { id: chatId } });
    },
    answer(token: string, chatId: string, approvalId: string, body: Record<string, unknown>) {
      return call<Approval & { code?: string }>(answer, {
        token,
        params: { id: chatId, approval_id: approvalId },
        body,
      });
    },
    async chat(token: string, chatId: string) {
      const res = await call<ChatWithMessages>(getChat, { token, params: { id: chatId } });
      expect(res.status).toBe(200);
      return res.body;
    },
    /** Waits until no turn runs in the chat. */
    async settled(db: Database, chatId: string, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const running = await db
          .select({ id: turns.id })
          .from(turns)
          .where(and(eq(turns.chatId, chatId), eq(turns.status, "running")));
        if (running.length === 0) break;
        if (Date.now() > deadline) throw new Error("the resumed turn did not end");
        await new Promise((r) => setTimeout(r, 50));
      }
      const [row] = await db.select().from(chats).where(eq(chats.id, chatId));
      return row!;
    },
  };
  return h;
}
