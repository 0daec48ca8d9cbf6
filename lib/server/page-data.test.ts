// The pages' server reads must put into the browser's cache exactly what the routes answer:
// same shape, same values, same refusals. Compared here on a real chat with a turn paused on a
// tool approval (tool, approval and text parts), a real MCP server config and its catalogue.
import { describe, expect, it } from "vitest";
import { GET as getChat } from "@/app/api/chats/[id]/route";
import { GET as listChats } from "@/app/api/chats/route";
import { GET as getAudit } from "@/app/api/admin/audit/tool-calls/route";
import { GET as getAppSettings } from "@/app/api/admin/settings/route";
import { GET as getWorkspaceMcp } from "@/app/api/admin/settings/workspace-mcp/route";
import { GET as getServer } from "@/app/api/mcp/servers/[id]/route";
import { GET as getTools } from "@/app/api/mcp/servers/[id]/tools/route";
import { GET as listServers } from "@/app/api/mcp/servers/route";
import { GET as listProviders } from "@/app/api/model-providers/route";
import { GET as listModels } from "@/app/api/models/route";
import { GET as listTokens } from "@/app/api/tokens/route";
import { GET as getMe } from "@/app/api/users/me/route";
import { GET as listUsers } from "@/app/api/users/route";
import { toCaller } from "@/lib/auth/caller";
import { withApprovalTurns } from "@/lib/testing/approval-turns";
import { withTestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import {
  appSettingsData,
  chatData,
  chatListData,
  mcpServerData,
  mcpServersData,
  meData,
  modelsData,
  providersData,
  serverToolsData,
  tokensData,
  toolAuditData,
  usersData,
  workspaceMcpSettingsData,
  orClientFetch,
} from "./page-data";

const t = withTestDatabase();
const h = withApprovalTurns(t);

/** The route's 200 body for `token`. */
async function routeJson(
  handler: Parameters<typeof call>[0],
  token: string,
  opts: { params?: Record<string, string>; path?: string } = {},
) {
  const res = await call(handler, { token, ...opts });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A chat of the member's with a turn paused on an approval, on an enabled server. */
async function pausedChat() {
  const server = await h.server();
  await h.requireApproval(t.db, server.id, "echo");
  const chat = await h.newChat(h.member.token, [server.id]);
  const key = h.key("prefetch");
  h.fake.script(key, [
    {
      text: "Let me echo that.",
      toolCalls: [{ name: `${server.slug}__echo`, arguments: { text: "stored" } }],
    },
    { text: "Echoed." },
  ]);
  const sent = await h.sendJson(h.member.token, chat.id, `${key} please echo`);
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  expect(sent.body.chat.status).toBe("waiting");
  return { server, chat, key };
}

describe("page data equals the routes' JSON", () => {
  it("a chat with stored tool, approval and text parts, for its owner only", async () => {
    const { chat, key } = await pausedChat();
    const member = toCaller(h.member.user, "session");
    const admin = toCaller(h.admin.user, "session");

    const fromRoute = await routeJson(getChat, h.member.token, { params: { id: chat.id } });
    const fromPage = await chatData(t.db, member, chat.id);
    expect(fromPage).toStrictEqual(fromRoute);
    const parts = fromPage!.messages.at(-1)!.parts.map((p) => p.type);
    expect(parts).toEqual(expect.arrayContaining(["text", "tool", "approval"]));
    expect(fromPage!.messages[0]!.parts).toContainEqual(
      expect.objectContaining({ type: "text", text: `${key} please echo` }),
    );

    // Someone else's chat (even an admin's view of it) and a malformed id: what the route refuses.
    expect((await call(getChat, { token: h.admin.token, params: { id: chat.id } })).status).toBe(
      404,
    );
    expect(await chatData(t.db, admin, chat.id)).toBeNull();
    expect(await chatData(t.db, member, "not-a-chat")).toBeNull();
    expect(await chatData(t.db, member, crypto.randomUUID())).toBeNull();

    expect(await chatListData(t.db, member, 30)).toStrictEqual(
      await routeJson(listChats, h.member.token, { path: "/api/chats?limit=30" }),
    );
    expect(meData(member)).toStrictEqual(await routeJson(getMe, h.member.token));
    expect(await modelsData(t.db)).toStrictEqual(await routeJson(listModels, h.member.token));
    expect(await tokensData(t.db, member)).toStrictEqual(
      await routeJson(listTokens, h.member.token),
    );
  });

  it("MCP servers: the list and the editor's config and catalogue, redacted for members", async () => {
    const { server } = await pausedChat();
    const hidden = await h.server({ enabled: false });
    const member = toCaller(h.member.user, "session");
    const admin = toCaller(h.admin.user, "session");

    for (const [caller, token] of [
      [member, h.member.token],
      [admin, h.admin.token],
    ] as const) {
      expect(await mcpServersData(t.db, caller)).toStrictEqual(await routeJson(listServers, token));
      expect(await mcpServerData(t.db, caller, server.id)).toStrictEqual(
        await routeJson(getServer, token, { params: { id: server.id } }),
      );
    }
    const listed = await mcpServersData(t.db, member);
    expect(listed.map((s) => s.id)).not.toContain(hidden.id);
    expect(await mcpServerData(t.db, member, hidden.id)).toBeNull();
    expect(await mcpServerData(t.db, admin, hidden.id)).toStrictEqual(
      await routeJson(getServer, h.admin.token, { params: { id: hidden.id } }),
    );
    expect(await mcpServerData(t.db, admin, "nope")).toBeNull();

    const tools = await serverToolsData(t.db, admin, server.id);
    expect(tools?.map((x) => x.name)).toContain("echo");
    expect(tools).toStrictEqual(
      await routeJson(getTools, h.admin.token, { params: { id: server.id } }),
    );
    expect(
      (await call(getTools, { token: h.member.token, params: { id: server.id } })).status,
    ).toBe(403);
    expect(await serverToolsData(t.db, member, server.id)).toBeNull();
  });

  it("admin pages: users, providers, settings and the audit; nothing for members", async () => {
    // An approved call: the audit has a row that ran.
    const { chat } = await pausedChat();
    const [approval] = (await h.approvals(h.member.token, chat.id)).body;
    const answered = await h.answer(h.member.token, chat.id, approval!.approval_id, {
      decision: "approve",
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    await h.settled(t.db, chat.id);
    const member = toCaller(h.member.user, "session");
    const admin = toCaller(h.admin.user, "session");
    const pages = [
      [usersData, listUsers, "/api/users"],
      [providersData, listProviders, "/api/model-providers"],
      [appSettingsData, getAppSettings, "/api/admin/settings"],
      [workspaceMcpSettingsData, getWorkspaceMcp, "/api/admin/settings/workspace-mcp"],
      [toolAuditData, getAudit, "/api/admin/audit/tool-calls"],
    ] as const;
    for (const [load, handler, path] of pages) {
      expect(await load(t.db, admin), path).toStrictEqual(
        await routeJson(handler, h.admin.token, { path }),
      );
      expect((await call(handler, { token: h.member.token, path })).status, path).toBe(403);
      expect(await load(t.db, member), path).toBeNull();
    }
    const audit = await toolAuditData(t.db, admin);
    expect(audit!.items.length).toBeGreaterThan(0);
  });

  it("a failed read leaves the query to the browser instead of failing the page", async () => {
    const failing = Promise.reject(new Error("database away"));
    expect(await orClientFetch(failing)).toBeUndefined();
  });
});
