// Shared setup of the route-level tests that run real turns against hostile MCP servers: the
// route handlers, the fake OpenAI-compatible model, the hostile MCP test server
// (e2e/fixtures/mcp-hostile.ts) and a fresh database, with an admin and a member.
import { afterAll, afterEach, beforeAll, expect, vi } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import { startMcpTestServer, type RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { modelProviders } from "@/db/schema";
import { POST as createChat } from "@/app/api/chats/route";
import { POST as send } from "@/app/api/chats/[id]/messages/route";
import { POST as createServer } from "@/app/api/mcp/servers/route";
import { getMcpPool } from "@/lib/mcp/pool";
import { call } from "./http";
import { withTestDatabase } from "./db";
import { seedUser } from "./fixtures";

export type StoredPart = { type: string; code?: string; detail?: string; [k: string]: unknown };
type Seeded = Awaited<ReturnType<typeof seedUser>>;

export function withHostileTurns() {
  const t = withTestDatabase();
  let fake: FakeOpenAI | undefined;
  let mcp: RunningMcpTestServer | undefined;
  let admin: Seeded | undefined;
  let member: Seeded | undefined;
  const extraServers: RunningMcpTestServer[] = [];
  const previousAllowlist = process.env.EGRESS_ALLOWLIST;
  let counter = 0;

  beforeAll(async () => {
    process.env.EGRESS_ALLOWLIST = "127.0.0.1";
    fake = await startFakeOpenAI();
    mcp = await startMcpTestServer({ hostile: true });
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
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await getMcpPool().close();
    await fake?.close();
    await mcp?.close();
    await Promise.all(extraServers.map((s) => s.close()));
    if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
    else process.env.EGRESS_ALLOWLIST = previousAllowlist;
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("hostile-turn harness not started");
    return value;
  };

  return {
    get db() {
      return t.db;
    },
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
    /** Another MCP test server, closed with the harness. */
    async startServer(options: Parameters<typeof startMcpTestServer>[0]) {
      const started = await startMcpTestServer(options);
      extraServers.push(started);
      return started;
    },
    /** An enabled config (on the hostile server unless `url` says otherwise), made by the admin. */
    async server(over: Record<string, unknown>) {
      counter += 1;
      const res = await call(createServer, {
        token: ready(admin).token,
        body: {
          display_name: `Hostile ${counter}`,
          slug: `hostile${counter}`,
          url: ready(mcp).mcpUrl,
          enabled: true,
          auth_type: "none",
          ...over,
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; slug: string; display_name: string };
    },
    async newChat(token: string, ids: string[]) {
      const res = await call(createChat, { token, body: { mcp_server_ids: ids } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string };
    },
    /** Sends a message and waits for the turn (Accept: application/json). */
    sendJson(token: string, chatId: string, content: string) {
      return call<{
        message: { status: string; parts: StoredPart[] };
        chat: { status: string };
      }>(send, {
        token,
        params: { id: chatId },
        body: { content },
        headers: { accept: "application/json" },
      });
    },
    /** A unique key: the fake model picks a script by the first user message. */
    key(label: string) {
      counter += 1;
      return `${label}-${counter}-${Date.now()}`;
    },
  };
}

export const noticesOf = (parts: StoredPart[]) => parts.filter((p) => p.type === "notice");
