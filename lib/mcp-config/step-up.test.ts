// Step-up authorization end to end: a real MCP SDK server that lets the handshake through
// unauthenticated, needs `mcp:read` to list and `mcp:read mcp:write` to call, behind a real
// oidc-provider. Its metadata advertises another scope: the first authorization asks for the
// scope of the first 401 challenge instead (the one the listing gets). The call is answered
// 403 insufficient_scope; toolgate tells the member to connect again and that authorization
// asks for the union of scopes, after which it works. A listing refused for scope is told the
// same way.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpServerUserTokens } from "@/db/schema";
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

const t = withTestDatabase();
const previousAllowlist = process.env.EGRESS_ALLOWLIST;
let op: OidcProviderHandle;
let http: Server;
let mcpUrl = "";
const authorizationScopes: string[] = [];

const READ = "mcp:read";
const WRITE = "mcp:write";
const ADMIN = "mcp:admin";
/** What tools/list needs; tools/call needs this and WRITE. */
let listNeeds = [READ];

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function mcpServer(): McpServer {
  const server = new McpServer({ name: "scoped", version: "1.0.0" });
  server.registerTool("write_note", { description: "Writes a note" }, () => ({
    content: [{ type: "text", text: "written" }],
  }));
  return server;
}

/** Stateless MCP over Streamable HTTP, with a scope check per JSON-RPC method. */
async function startScopedServer(): Promise<void> {
  http = createServer((req, res) => {
    void (async () => {
      const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const prm = `${origin}/.well-known/oauth-protected-resource/mcp`;
      if (req.url === "/.well-known/oauth-protected-resource/mcp") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            resource: `${origin}/mcp`,
            authorization_servers: [op.issuer],
            scopes_supported: ["profile"],
          }),
        );
        return;
      }
      if (req.url !== "/mcp" || req.method !== "POST") {
        res.writeHead(405).end();
        return;
      }
      const body = await readBody(req);
      const method = (body as { method?: string } | undefined)?.method ?? "";
      const open = method === "initialize" || method.startsWith("notifications/");
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const scopes = token
        ? await op.verifyAccessToken(token, `${origin}/mcp`).then(
            (v) => v.scopes,
            () => undefined,
          )
        : undefined;
      if (scopes === undefined && !open) {
        res.writeHead(401, {
          "www-authenticate": `Bearer scope="${READ}", resource_metadata="${prm}"`,
        });
        res.end();
        return;
      }
      const needed = open ? [] : method === "tools/call" ? [...listNeeds, WRITE] : listNeeds;
      if (!needed.every((s) => scopes?.includes(s))) {
        res.writeHead(403, {
          // Only the scope it lacks, as the conformance suite's server does: keeping what was
          // granted before is the client's part (SEP-2350).
          "www-authenticate": `Bearer error="insufficient_scope", scope="${needed.filter((s) => !scopes?.includes(s)).join(" ")}", resource_metadata="${prm}"`,
        });
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
  op = await startOidcProvider({ autoLogin: "alice" });
  await startScopedServer();
});
afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve));
  await op?.close();
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
});

describe("step-up on 403 insufficient_scope", () => {
  it("asks the member to connect again, then authorizes the union of scopes", async () => {
    const admin = await seedUser(t.db, { role: "admin" });
    const member = await seedUser(t.db, { role: "member" });
    const cookie = await sessionCookie(member.user.id);
    const created = await call(create, {
      token: admin.token,
      body: { display_name: "Scoped", url: mcpUrl, auth_type: "oauth2", enabled: true },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const serverId = created.body.id as string;
    expect(created.body.oauth2_scopes).toBe(READ);

    const connectAs = async () => {
      const started = await call(connect, {
        cookie,
        params: { id: serverId },
        headers: { "sec-fetch-site": "same-origin" },
      });
      expect(started.status, String(started.body)).toBe(307);
      const authorizationUrl = new URL(started.headers.get("location")!);
      authorizationScopes.push(authorizationUrl.searchParams.get("scope") ?? "");
      const prefix = `http://toolgate.test/api/mcp/servers/${serverId}/oauth2/callback`;
      const redirect = await followToRedirectUri(authorizationUrl.href, prefix);
      const done = await call(callback, {
        cookie,
        params: { id: serverId },
        path: redirect.pathname + redirect.search,
      });
      expect(done.status).toBeLessThan(400);
    };
    const tokenRow = async () =>
      (
        await t.db
          .select()
          .from(mcpServerUserTokens)
          .where(
            and(
              eq(mcpServerUserTokens.serverId, serverId),
              eq(mcpServerUserTokens.userId, member.user.id),
            ),
          )
      )[0]!;
    const turn = () =>
      turnContextOf(
        { id: "c", parentChatId: null, workspaceId: null, mcpServerIds: [serverId] },
        { id: member.user.id, role: "member" },
        false,
        "root",
      );
    const callNote = async (toolCallId: string) => {
      const pool = new McpPool();
      try {
        const assembled = await assembleTurnTools(t.db, turn(), { pool });
        expect(assembled.notices).toEqual([]);
        return await assembled.tools["scoped__write_note"]!.execute!(
          {},
          { toolCallId, messages: [] },
        );
      } finally {
        await pool.close();
      }
    };

    await connectAs();
    expect(authorizationScopes).toEqual([READ]);

    const refused = await callNote("t1");
    expect(refused).toMatchObject({ is_error: true });
    expect(JSON.stringify(refused)).toContain(`Connect to it again`);
    expect(JSON.stringify(refused)).toContain(`${READ} ${WRITE}`);
    expect(await tokenRow()).toMatchObject({ needsReconnect: true, scope: `${READ} ${WRITE}` });

    await connectAs();
    expect(authorizationScopes).toEqual([READ, `${READ} ${WRITE}`]);
    expect((await tokenRow()).needsReconnect).toBe(false);
    expect(await callNote("t2")).toMatchObject({ is_error: false });

    // The listing itself now wants more: the turn tells the member, and the next Connect asks
    // for everything granted so far plus the new scope.
    listNeeds = [READ, ADMIN];
    try {
      const pool = new McpPool();
      const assembled = await assembleTurnTools(t.db, turn(), { pool }).finally(() => pool.close());
      expect(assembled.notices).toEqual([
        expect.objectContaining({ code: "mcp.auth_required", server_id: serverId }),
      ]);
      expect(assembled.notices[0]!.detail).toContain("Connect to it again");
      const sorted = (scope: string | null | undefined) => (scope ?? "").split(" ").sort();
      const row = await tokenRow();
      expect(row.needsReconnect).toBe(true);
      expect(sorted(row.scope)).toEqual([ADMIN, READ, WRITE]);
      await connectAs();
      expect(sorted(authorizationScopes.at(-1))).toEqual([ADMIN, READ, WRITE]);
      expect(await callNote("t3")).toMatchObject({ is_error: false });
    } finally {
      listNeeds = [READ];
    }
  });
});
