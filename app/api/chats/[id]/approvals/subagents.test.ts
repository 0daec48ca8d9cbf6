// A sub-agent cannot ask the person (it runs unseen, its parent may be waiting on it): its call
// to an approval-required tool is refused with a reason it can pass on, unless a grant of the
// root chat covers the tool.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { chats, mcpServerConfigs } from "@/db/schema";
import { pendingRequests, toolCallAudit } from "@/db/schema-tool-calls";
import { insertGrant } from "@/db/queries/tool-grants";
import { withApprovalTurns } from "@/lib/testing/approval-turns";
import { withTestDatabase } from "@/lib/testing/db";

const t = withTestDatabase();
const h = withApprovalTurns(t);

async function spawnChildThatEchoes(label: string) {
  const server = await h.server();
  await h.requireApproval(t.db, server.id, "echo");
  const chat = await h.newChat(h.member.token, [server.id]);
  const key = h.key(label);
  const task = h.key(`${label}-task`);
  h.fake.script(key, [
    { toolCalls: [{ name: "spawn_agent", arguments: { task: `${task} echo something` } }] },
    { text: "Spawned." },
  ]);
  const child = h.fake.script(task, [
    { toolCalls: [{ name: `${server.slug}__echo`, arguments: { text: "from the sub-agent" } }] },
    { text: "Sub-agent report." },
  ]);
  return { server, chat, key, child };
}

async function childOf(parentId: string) {
  for (let i = 0; i < 100; i += 1) {
    const [row] = await t.db.select().from(chats).where(eq(chats.parentChatId, parentId));
    if (row) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no sub-agent chat");
}

describe("approval-required tools in sub-agents", () => {
  it("refuses the call with a clear reason and asks nobody", async () => {
    const { chat, key, child } = await spawnChildThatEchoes("sub-refused");
    const before = h.mcp.toolCalls().length;
    await h.sendJson(h.member.token, chat.id, `${key} start`);
    const sub = await childOf(chat.id);
    expect((await h.settled(t.db, sub.id)).status).toBe("idle");
    expect(h.mcp.toolCalls().length).toBe(before);
    expect(JSON.stringify(child.requests()[1]!.body)).toContain("a sub-agent cannot ask for one");
    expect(
      await t.db.select().from(pendingRequests).where(eq(pendingRequests.chatId, sub.id)),
    ).toHaveLength(0);
    const rows = await t.db.select().from(toolCallAudit).where(eq(toolCallAudit.chatId, sub.id));
    expect(rows.map((r) => [r.agent, r.decision, r.outcome, r.tool])).toEqual([
      ["subagent", "denied", "not_run", "echo"],
    ]);
    // The parent's own call is audited too, as the root agent's.
    const parent = await t.db
      .select()
      .from(toolCallAudit)
      .where(and(eq(toolCallAudit.chatId, chat.id), eq(toolCallAudit.tool, "spawn_agent")));
    expect(parent.map((r) => [r.agent, r.decision, r.source])).toEqual([
      ["root", "allowed", "builtin"],
    ]);
  });

  it("runs the call when the root chat holds a grant for the tool", async () => {
    const { chat, key, server } = await spawnChildThatEchoes("sub-granted");
    const [config] = await t.db
      .select()
      .from(mcpServerConfigs)
      .where(eq(mcpServerConfigs.id, server.id));
    await insertGrant(t.db, {
      chatId: chat.id,
      source: "mcp",
      serverId: config!.id,
      toolName: "echo",
      exposedName: `${server.slug}__echo`,
      createdBy: h.member.user.id,
      expiresAt: new Date(Date.now() + 60_000),
    });
    const before = h.mcp.toolCalls().length;
    await h.sendJson(h.member.token, chat.id, `${key} start`);
    const sub = await childOf(chat.id);
    await h.settled(t.db, sub.id);
    expect(
      h.mcp
        .toolCalls()
        .slice(before)
        .map((c) => c.arguments),
    ).toEqual([{ text: "from the sub-agent" }]);
  });
});
