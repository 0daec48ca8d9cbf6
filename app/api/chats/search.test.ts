// Searching the chat history: by title and by message text (any branch), case insensitive,
// newest first with the list's cursor pagination; `%`, `_` and `\` match themselves.
import { describe, expect, it } from "vitest";
import { insertChat, insertMessage } from "@/db/queries/chats";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call } from "@/lib/testing/http";
import { searchSnippet } from "@/lib/chat/search-snippet";
import { GET as list } from "./route";

const t = withTestDatabase();

type Hit = { id: string; title: string; search: { snippet: string | null } };

async function search(token: string, q: string, extra = "") {
  const res = await call<{ chats: Hit[]; next_cursor: string | null }>(list, {
    token,
    path: `/api/chats?q=${encodeURIComponent(q)}${extra}`,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe("GET /api/chats?q=", () => {
  it("finds chats by title and message text, with a snippet of the match", async () => {
    const me = await seedUser(t.db);
    const other = await seedUser(t.db);
    const chat = async (ownerId: string, title: string, texts: string[]) => {
      const row = await insertChat(t.db, { ownerId, title });
      let parentId: string | null = null;
      for (const [i, text] of texts.entries()) {
        const m = await insertMessage(t.db, {
          chatId: row.id,
          parentId,
          role: i % 2 === 0 ? "user" : "assistant",
          parts: [
            { type: "tool", name: "x", output: "Kraken in a tool" },
            { type: "text", text },
          ],
        });
        parentId = m.id;
      }
      return row;
    };
    const byTitle = await chat(me.user.id, "Kraken sightings", ["hello"]);
    const byText = await chat(me.user.id, "Sea stories", [
      "tell me a story",
      `${"Once upon a time ".repeat(8)}a KRAKEN rose from the deep. ${"The end. ".repeat(10)}`,
    ]);
    await chat(me.user.id, "Unrelated", ["nothing here"]);
    await chat(other.user.id, "Kraken of someone else", ["kraken"]);
    const percent = await chat(me.user.id, "Growth", ["sales grew 100% in a year"]);
    const underscore = await chat(me.user.id, "Code", ["call snake_case here"]);
    await chat(me.user.id, "Decoys", ["sales grew 1000 in a year", "call snakeXcase"]);

    const found = await search(me.token, "kraken");
    expect(found.chats.map((c) => c.id).sort()).toEqual([byTitle.id, byText.id].sort());
    const hit = found.chats.find((c) => c.id === byText.id)!;
    expect(hit.search.snippet).toMatch(/^….*a KRAKEN rose from the deep\..*…$/);
    expect(hit.search.snippet!.length).toBeLessThan(150);
    expect(found.chats.find((c) => c.id === byTitle.id)!.search.snippet).toBeNull();

    expect((await search(me.token, "100%")).chats.map((c) => c.id)).toEqual([percent.id]);
    expect((await search(me.token, "snake_case")).chats.map((c) => c.id)).toEqual([underscore.id]);
    expect((await search(me.token, "%")).chats.map((c) => c.id)).toEqual([percent.id]);
    expect((await search(me.token, "no such words")).chats).toEqual([]);

    // Paginated like the list: one per page, newest first, every hit once.
    const first = await search(me.token, "kraken", "&limit=1");
    expect(first.chats).toHaveLength(1);
    expect(first.next_cursor).not.toBeNull();
    const second = await search(me.token, "kraken", `&limit=1&cursor=${first.next_cursor}`);
    expect(second.chats).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    expect([first.chats[0]!.id, second.chats[0]!.id]).toEqual([byText.id, byTitle.id]);
  });

  it("treats a blank query as the plain list and refuses an overlong one", async () => {
    const me = await seedUser(t.db);
    await insertChat(t.db, { ownerId: me.user.id, title: "Only" });
    const blank = await call(list, { token: me.token, path: "/api/chats?q=%20%20" });
    expect(blank.status).toBe(200);
    expect(blank.body.chats).toHaveLength(1);
    expect(blank.body.chats[0].search).toBeUndefined();
    const long = await call(list, { token: me.token, path: `/api/chats?q=${"a".repeat(201)}` });
    expect([long.status, long.body.code]).toEqual([400, "validation.invalid"]);
  });
});

describe("searchSnippet", () => {
  it.each([
    ["short text", "short", "short text"],
    ["a  b\n\nc needle d", "NEEDLE", "a b c needle d"],
    [
      `${"x".repeat(100)} needle ${"y".repeat(100)}`,
      "needle",
      `…${"x".repeat(59)} needle ${"y".repeat(59)}…`,
    ],
    [`${"z".repeat(200)}`, "absent", `${"z".repeat(120)}…`],
  ])("%#", (text, query, snippet) => {
    expect(searchSnippet(text, query)).toBe(snippet);
  });
});
