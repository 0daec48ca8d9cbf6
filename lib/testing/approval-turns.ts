// Shared setup of the approval and audit integration tests: the shared turn fixtures
// (turn-fixtures.ts: fake model, a real MCP SDK test server, admin, member), and helpers to make a tool
// approval-required (through the catalogue table, the real storage of per-tool rules), send a
// message, answer an approval and wait for the resumed turn.
import { expect } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { chats, mcpServerConfigs, mcpServerTools, turns } from "@/db/schema";
import { GET as getChat } from "@/app/api/chats/[id]/route";
import { GET as listApprovals } from "@/app/api/chats/[id]/approvals/route";
import { POST as answer } from "@/app/api/chats/[id]/approvals/[approval_id]/route";
import type { Approval, ChatWithMessages } from "@/lib/chat/wire";
import { call } from "./http";
import { withTurnFixtures } from "./turn-fixtures";

export function withApprovalTurns(
  t: { readonly db: Database },
  mcp: NonNullable<Parameters<typeof withTurnFixtures>[1]>["mcp"] = {},
) {
  // The tests read approval and tool parts' own fields.
  const fixtures = withTurnFixtures<any>(t, { mcp, label: "Approvals", slugPrefix: "appr" });
  return Object.assign(fixtures, {
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
  });
}
