// An MCP server moving to another authorization server (SEP-2352), end to end: a real MCP SDK
// server behind two real oidc-provider instances. Its protected resource metadata names the
// first; toolgate registers there and the member connects. Then it names the second and only
// accepts its tokens: the member's next turn finds the move, toolgate registers anew at the
// second server (never presenting the first one's client or tokens there), drops the old
// tokens and tells the member to connect again, which then works against the new server.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, mcpServerConfigs, mcpServerUserTokens } from "@/db/schema";
import { startOidcProvider, type OidcProviderHandle } from "@/e2e/fixtures/oidc-provider";
import { GET as callback } from "@/app/api/mcp/servers/[id]/oauth2/callback/route";
import { GET as connect } from "@/app/api/mcp/servers/[id]/oauth2/connect/route";
import { POST as create } from "@/app/api/mcp/servers/route";
import { assembleTurnTools } from "@/lib/chat/tools/assemble";
import { turnContextOf } from "@/lib/chat/tools/context";
import { McpPool } from "@/lib/mcp/pool";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call, sessionCookie } from "@/lib/testing/http";
import { followToRedirectUri } from "@/lib/testing/oauth-browser";
import { followAuthorizationServer } from "./as-migration";

const t = withTestDatabase();
const previousAllowlist = process.env.EGRESS_ALLOWLIST;
let first: OidcProviderHandle;
let second: OidcProviderHandle;
/** The authorization server the MCP server names and accepts tokens of. */
let current: () => OidcProviderHandle;
let http: Server;
let mcpUrl = "";

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function mcpServer(): McpServer {
  const server = new McpServer({ name: "moving", version: "1.0.0" });
  server.registerTool("ping", { description: "Answers pong" }, () => ({
    content: [{ type: "text", text: "pong" }],
  }));
  return server;
}

async function startMovingServer(): Promise<void> {
  http = createServer((req, res) => {
    void (async () => {
      const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const prm = `${origin}/.well-known/oauth-protected-resource/mcp`;
      if (req.url === "/.well-known/oauth-protected-resource/mcp") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ resource: `${origin}/mcp`, authorization_servers: [current().issuer] }),
        );
        return;
      }
      if (req.url !== "/mcp" || req.method !== "POST") {
        res.writeHead(405).end();
        return;
      }
      const body = await readBody(req);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const valid = token
        ? await current()
            .verifyAccessToken(token, `${origin}/mcp`)
            .then(
              () => true,
              () => false,
            )
        : false;
      if (!valid) {
        res.writeHead(401, { "www-authenticate": `Bearer resource_metadata="${prm}"` });
        res.end();
        return;
      }
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      const server = mcpServer();
      res.on("close", () => void server.close());
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  mcpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
}

beforeAll(async () => {
  process.env.EGRESS_ALLOWLIST = "127.0.0.1";
  first = await startOidcProvider({ autoLogin: "alice" });
  second = await startOidcProvider({ autoLogin: "alice" });
  current = () => first;
  await startMovingServer();
});
afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve));
  await first?.close();
  await second?.close();
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
});

describe("authorization server migration (SEP-2352)", () => {
  it("registers anew at the new authorization server and has the member connect again", async () => {
    const admin = await seedUser(t.db, { role: "admin" });
    const member = await seedUser(t.db, { role: "member" });
    const cookie = await sessionCookie(member.user.id);
    const created = await call(create, {
      token: admin.token,
      body: { display_name: "Moving", url: mcpUrl, auth_type: "oauth2", enabled: true },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const serverId = created.body.id as string;
    const configRow = async () =>
      (await t.db.select().from(mcpServerConfigs).where(eq(mcpServerConfigs.id, serverId)))[0]!;
    const before = await configRow();
    expect(before.oauth2Issuer).toBe(first.issuer);
    expect(first.counters.registrations).toBe(1);

    const authorizationUrls: URL[] = [];
    const connectAs = async () => {
      const started = await call(connect, {
        cookie,
        params: { id: serverId },
        headers: { "sec-fetch-site": "same-origin" },
      });
      expect(started.status, String(started.body)).toBe(307);
      const authorizationUrl = new URL(started.headers.get("location")!);
      authorizationUrls.push(authorizationUrl);
      const prefix = `http://toolgate.test/api/mcp/servers/${serverId}/oauth2/callback`;
      const redirect = await followToRedirectUri(authorizationUrl.href, prefix);
      const done = await call(callback, {
        cookie,
        params: { id: serverId },
        path: redirect.pathname + redirect.search,
      });
      expect(done.status).toBeLessThan(400);
    };
    const tokens = () =>
      t.db
        .select()
        .from(mcpServerUserTokens)
        .where(
          and(
            eq(mcpServerUserTokens.serverId, serverId),
            eq(mcpServerUserTokens.userId, member.user.id),
          ),
        );
    const turn = async () => {
      const pool = new McpPool();
      try {
        const assembled = await assembleTurnTools(
          t.db,
          turnContextOf(
            { id: "c", parentChatId: null, workspaceId: null, mcpServerIds: [serverId] },
            { id: member.user.id, role: "member" },
            false,
            "root",
          ),
          { pool },
        );
        const ping = assembled.tools["moving__ping"];
        const result = ping
          ? await ping.execute!({}, { toolCallId: "p", messages: [] })
          : undefined;
        return { notices: assembled.notices, result };
      } finally {
        await pool.close();
      }
    };

    await connectAs();
    expect(authorizationUrls[0]!.origin).toBe(new URL(first.issuer).origin);
    expect(await turn()).toMatchObject({ notices: [], result: { is_error: false } });

    // The server moves: it names the second authorization server and refuses the old token.
    current = () => second;
    const moved = await turn();
    expect(moved.result).toBeUndefined();
    expect(moved.notices).toEqual([
      expect.objectContaining({ code: "mcp.auth_required", server_id: serverId }),
    ]);
    expect(moved.notices[0]!.detail).toContain("different authorization server");
    expect(moved.notices[0]!.detail).toContain("Connect your account again");

    const after = await configRow();
    expect(after.oauth2Issuer).toBe(second.issuer);
    expect(after.oauth2ClientId).not.toBe(before.oauth2ClientId);
    expect(after.oauth2TokenUrl.startsWith(second.issuer)).toBe(true);
    expect(after.version).toBeGreaterThan(before.version);
    expect(second.counters.registrations).toBe(1);
    // The old server's tokens are gone: nothing of them can reach the new one.
    expect(await tokens()).toEqual([]);
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "mcp_server.oauth2_migrate"));
    expect(audit).toEqual([
      expect.objectContaining({
        targetId: serverId,
        detail: expect.objectContaining({ from: first.issuer, to: second.issuer }),
      }),
    ]);

    // A new consent, at the new server, with the new client.
    await connectAs();
    const again = authorizationUrls[1]!;
    expect(again.origin).toBe(new URL(second.issuer).origin);
    expect(again.searchParams.get("client_id")).toBe(after.oauth2ClientId);
    expect(await turn()).toMatchObject({ notices: [], result: { is_error: false } });
    // The new server only ever saw its own client: no refresh grant, no token error, and
    // every token it issued went to the client registered there.
    expect(second.counters.refreshTokenGrants).toBe(0);
    expect(second.counters.tokenErrors).toBe(0);
    expect(second.issuedAccessTokens.map((token) => token.clientId)).toEqual([
      after.oauth2ClientId,
    ]);
    // A second look finds nothing to do: the config already uses the server named.
    expect((await followAuthorizationServer(await configRow())).moved).toBe(false);
  });

  it("leaves a client an admin entered by hand alone", async () => {
    const registrations = second.counters.registrations;
    const check = await followAuthorizationServer({
      id: "00000000-0000-4000-8000-000000000001",
      url: mcpUrl,
      transport: "streamable_http",
      authType: "oauth2",
      oauth2Issuer: "https://elsewhere.example",
      oauth2Scopes: "",
      oauth2Discovered: false,
    });
    expect(check.moved).toBe(false);
    expect(second.counters.registrations).toBe(registrations);
  });
});
