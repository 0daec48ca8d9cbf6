// The tool catalogue in real turns: the admin's per-tool decisions, as stored in
// mcp_server_tools, decide what the model is offered and what a call may do. Route handlers,
// the fake model, a real MCP SDK test server and the real database.
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { mcpServerTools } from "@/db/schema";
import type { ToolRule, ToolStatus } from "@/db/enums";
import { assembleTurnTools } from "@/lib/chat/tools/assemble";
import { turnContextOf } from "@/lib/chat/tools/context";
import { withHostileTurns } from "@/lib/testing/hostile-turns";

const h = withHostileTurns();

/**
 * Sets a tool's catalogue entry: the server's real listing is recorded first (by the tools
 * explainer), then the admin's decision is written over it. A held ("changed") tool gets an
 * approved hash that is not the listed one, as a rewritten definition would leave it.
 */
async function catalogue(
  serverId: string,
  chatId: string,
  name: string,
  over: { rule?: ToolRule; status?: ToolStatus; planMode?: boolean },
) {
  await explain(chatId, [serverId]);
  const oldHash = `sha256:${createHash("sha256").update(name).digest("hex")}`;
  const updated = await h.db
    .update(mcpServerTools)
    .set({ ...over, ...(over.status === "changed" && { approvedHash: oldHash }) })
    .where(and(eq(mcpServerTools.serverId, serverId), eq(mcpServerTools.name, name)))
    .returning();
  expect(updated).toHaveLength(1);
}

async function explain(chatId: string, serverIds: string[]) {
  const ctx = turnContextOf(
    { id: chatId, parentChatId: null, workspaceId: null, mcpServerIds: serverIds },
    { id: h.member.user.id, role: "member" },
    false,
    "root",
  );
  return assembleTurnTools(h.db, ctx, { explain: true });
}

describe("per-tool rules from the catalogue", () => {
  it("hide a disabled tool and a held (changed or removed) one, with their reasons", async () => {
    const s = await h.server({ slug: "governed" });
    const chat = await h.newChat(h.member.token, [s.id]);
    await catalogue(s.id, chat.id, "echo", { rule: "disabled" });
    await catalogue(s.id, chat.id, "add", { status: "changed" });
    const k = h.key("rules");
    const script = h.fake.script(k, [{ text: "Done." }]);
    const res = await h.sendJson(h.member.token, chat.id, k);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const offered = script.requests()[0]!.toolNames;
    expect(offered).not.toContain(`${s.slug}__echo`);
    expect(offered).not.toContain(`${s.slug}__add`);
    // Everything else the server lists is still offered: the test sees a live server.
    expect(offered.some((n) => n.startsWith(`${s.slug}__`))).toBe(true);

    const rows = (await explain(chat.id, [s.id])).rows;
    const reasonOf = (name: string) => rows.find((r) => r.name === `${s.slug}__${name}`)?.reason;
    expect(reasonOf("echo")).toBe("tool_disabled");
    expect(reasonOf("add")).toBe("tool_definition_changed");
  });

  it("pause a call to an approval-required tool, which never reaches the server unasked", async () => {
    const s = await h.server({ slug: "asking" });
    const chat = await h.newChat(h.member.token, [s.id]);
    await catalogue(s.id, chat.id, "echo", { rule: "approval" });
    const before = h.mcp.toolCalls().filter((c) => c.tool === "echo").length;
    const k = h.key("approval");
    const script = h.fake.script(k, [
      { toolCalls: [{ name: `${s.slug}__echo`, arguments: { text: "hi" } }] },
      { text: "It needs approval." },
    ]);
    const res = await h.sendJson(h.member.token, chat.id, k);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(script.requests()[0]!.toolNames).toContain(`${s.slug}__echo`);
    expect(h.mcp.toolCalls().filter((c) => c.tool === "echo").length).toBe(before);
    // The turn waits for a person (app/api/chats/[id]/approvals has the whole flow).
    expect(res.body.chat.status).toBe("waiting");
    expect(res.body.message.parts.map((p) => p.type)).toContain("approval");
    expect(script.requests()).toHaveLength(1);
    const rows = (await explain(chat.id, [s.id])).rows;
    const row = rows.find((r) => r.name === `${s.slug}__echo`);
    expect(row).toMatchObject({ available: true, reason: "approval_required" });
  });
});
