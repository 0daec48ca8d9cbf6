// What the route-level turn tests share: the fake OpenAI-compatible model, a real MCP SDK test
// server (unless a test needs none), an admin and a member seeded in the test's database, a
// provider pointing at the fake model, loopback admitted by the egress guard, and helpers to
// register servers, open chats and send messages through the routes.
// hostile-turns.ts and approval-turns.ts build on it.
import { afterAll, beforeAll, expect } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import { startMcpTestServer, type RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import type { Database } from "@/db/client";
import { modelProviders } from "@/db/schema";
import { POST as createChat } from "@/app/api/chats/route";
import { POST as send } from "@/app/api/chats/[id]/messages/route";
import { POST as createServer } from "@/app/api/mcp/servers/route";
import { getMcpPool } from "@/lib/mcp/pool";
import { call } from "./http";
import { seedUser } from "./fixtures";

export type StoredPart = { type: string; code?: string; detail?: string; [k: string]: unknown };
type Seeded = Awaited<ReturnType<typeof seedUser>>;

/** `Part` is how the tests read a message's stored parts. */
export function withTurnFixtures<Part = StoredPart>(
  t: { readonly db: Database },
  opts: {
    /** Options of the MCP test server the configs point at; false starts none. */
    mcp?: Parameters<typeof startMcpTestServer>[0] | false;
    /** Display names and slugs of the configs `server` registers. */
    label?: string;
    slugPrefix?: string;
  } = {},
) {
  const label = opts.label ?? "Srv";
  const slugPrefix = opts.slugPrefix ?? "srv";
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
    if (opts.mcp !== false) mcp = await startMcpTestServer(opts.mcp);
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
    await Promise.all(extraServers.map((s) => s.close()));
    if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
    else process.env.EGRESS_ALLOWLIST = previousAllowlist;
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("turn test fixtures not started");
    return value;
  };

  return {
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
    /** Another MCP test server, closed with the fixtures. */
    async startServer(options?: Parameters<typeof startMcpTestServer>[0]) {
      const started = await startMcpTestServer(options);
      extraServers.push(started);
      return started;
    },
    /** An enabled config (on the fixtures' MCP server unless `url` says otherwise). */
    async server(over: Record<string, unknown> = {}) {
      counter += 1;
      const res = await call(createServer, {
        token: ready(admin).token,
        body: {
          display_name: `${label} ${counter}`,
          slug: `${slugPrefix}${counter}`,
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
        message: { status: string; parts: Part[] };
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
