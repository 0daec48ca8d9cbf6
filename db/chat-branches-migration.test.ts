// Migration 0010 turns every existing chat into one branch: each message follows the one before
// it and the newest is the leaf. Its backfill statements run here on rows as older code left
// them (no parent, no leaf).
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertChat, insertMessage, listMessages } from "@/db/queries/chats";
import { chats, messages } from "@/db/schema";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";

const t = withTestDatabase();

const backfill = readFileSync(path.join(__dirname, "migrations", "0010_chat_branches.sql"), "utf8")
  .split("--> statement-breakpoint")
  .map((s) => s.trim())
  .filter((s) => /^UPDATE /m.test(s));

describe("0010_chat_branches backfill", () => {
  it("links each chat's messages in order and sets the newest as the leaf", async () => {
    const { user } = await seedUser(t.db);
    const a = await insertChat(t.db, { ownerId: user.id, title: "a" });
    const b = await insertChat(t.db, { ownerId: user.id, title: "b" });
    const empty = await insertChat(t.db, { ownerId: user.id, title: "empty" });
    const ids: Record<string, string[]> = { [a.id]: [], [b.id]: [] };
    for (let i = 0; i < 4; i += 1) {
      for (const chat of [a, b]) {
        const m = await insertMessage(t.db, {
          chatId: chat.id,
          role: i % 2 === 0 ? "user" : "assistant",
          parts: [{ type: "text", text: `${chat.title}${i}` }],
        });
        ids[chat.id]!.push(m.id);
      }
    }
    expect(backfill).toHaveLength(2);
    for (const statement of backfill) await t.db.execute(sql.raw(statement));

    for (const chat of [a, b]) {
      const rows = await t.db.select().from(messages).where(eq(messages.chatId, chat.id));
      const parent = new Map(rows.map((r) => [r.id, r.parentId]));
      const order = ids[chat.id]!;
      expect(order.map((id) => parent.get(id))).toEqual([null, ...order.slice(0, -1)]);
      const [row] = await t.db.select().from(chats).where(eq(chats.id, chat.id));
      expect(row!.leafMessageId).toBe(order.at(-1));
      expect((await listMessages(t.db, chat.id)).map((m) => m.id)).toEqual(order);
    }
    const [none] = await t.db.select().from(chats).where(eq(chats.id, empty.id));
    expect(none!.leafMessageId).toBeNull();
  });
});
