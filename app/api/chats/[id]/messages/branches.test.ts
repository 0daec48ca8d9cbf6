// Editing a question and regenerating an answer start a new turn from that point; the replaced
// messages stay as another branch the chat can switch back to (docs/chat-branches.md).
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { turns } from "@/db/schema";
import { call } from "@/lib/testing/http";
import { withHostileTurns } from "@/lib/testing/hostile-turns";
import { GET as getChat } from "../route";
import { POST as selectBranch } from "../branch/route";
import { POST as edit } from "./[message_id]/edit/route";
import { POST as regenerate } from "./[message_id]/regenerate/route";

const h = withHostileTurns();

interface Msg {
  id: string;
  role: string;
  parent_id: string | null;
  sibling_ids: string[];
  parts: { type: string; text?: string }[];
}

async function branch(token: string, chatId: string): Promise<Msg[]> {
  const res = await call<{ messages: Msg[] }>(getChat, { token, params: { id: chatId } });
  expect(res.status).toBe(200);
  return res.body.messages;
}

const texts = (messages: Msg[]) =>
  messages.map((m) => m.parts.find((p) => p.type === "text")?.text ?? "");

const json = { accept: "application/json" };

describe("chat branches", () => {
  it("regenerates an answer beside the old one and switches between them", async () => {
    const chat = await h.newChat(h.member.token, []);
    const k = h.key("regen");
    const script = h.fake.script(k, [
      { text: "First answer." },
      { text: "Second answer." },
      { text: "Second answer, again." },
    ]);
    await h.sendJson(h.member.token, chat.id, k);
    await h.sendJson(h.member.token, chat.id, "and then?");
    const before = await branch(h.member.token, chat.id);
    expect(texts(before)).toEqual([k, "First answer.", "and then?", "Second answer."]);
    expect(before[0]!.parent_id).toBeNull();
    expect(before.slice(1).map((m) => m.parent_id)).toEqual(before.slice(0, -1).map((m) => m.id));

    const old = before[3]!;
    const res = await call(regenerate, {
      token: h.member.token,
      params: { id: chat.id, message_id: old.id },
      body: {},
      headers: json,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // The model saw the conversation up to the question, not the replaced answer.
    const asked = JSON.stringify(script.requests()[2]!.messages);
    expect(asked).toContain("and then?");
    expect(asked).not.toContain("Second answer.");

    const after = await branch(h.member.token, chat.id);
    expect(texts(after)).toEqual([k, "First answer.", "and then?", "Second answer, again."]);
    expect(after[3]!.parent_id).toBe(before[2]!.id);
    expect(after[3]!.sibling_ids).toEqual([old.id, after[3]!.id]);
    expect(after[2]!.sibling_ids).toEqual([before[2]!.id]);

    const back = await call<{ messages: Msg[] }>(selectBranch, {
      token: h.member.token,
      params: { id: chat.id },
      body: { message_id: old.id },
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(texts(back.body.messages)).toEqual(texts(before));
    // The next message continues the branch shown.
    await h.sendJson(h.member.token, chat.id, "one more");
    const continued = await branch(h.member.token, chat.id);
    expect(texts(continued).slice(0, 5)).toEqual([...texts(before), "one more"]);
    expect(JSON.stringify(h.fake.requests().at(-1)!.messages)).not.toContain("again.");
  });

  it("edits a question into a new branch and keeps the old one", async () => {
    const chat = await h.newChat(h.member.token, []);
    const k = h.key("edit");
    h.fake.script(k, [{ text: "Answer one." }, { text: "Answer two." }]);
    await h.sendJson(h.member.token, chat.id, k);
    await h.sendJson(h.member.token, chat.id, "second question");
    const before = await branch(h.member.token, chat.id);

    const edited = `${k} edited`;
    const res = await call(edit, {
      token: h.member.token,
      params: { id: chat.id, message_id: before[0]!.id },
      body: { content: edited },
      headers: json,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = await branch(h.member.token, chat.id);
    expect(after).toHaveLength(2);
    expect(texts(after)[0]).toBe(edited);
    expect(after[0]!.parent_id).toBeNull();
    expect(after[0]!.sibling_ids).toEqual([before[0]!.id, after[0]!.id]);
    // The edited question is the whole history the model read.
    const asked = h.fake.requests().at(-1)!;
    expect(asked.messages.filter((m) => m.role === "user")).toHaveLength(1);
    expect(JSON.stringify(asked.messages)).not.toContain("Answer one.");

    const back = await call<{ messages: Msg[] }>(selectBranch, {
      token: h.member.token,
      params: { id: chat.id },
      body: { message_id: before[0]!.id },
    });
    expect(texts(back.body.messages)).toEqual(texts(before));
  });

  it("refuses while a turn runs, and what is not in the chat or not of the right kind", async () => {
    const chat = await h.newChat(h.member.token, []);
    const k = h.key("refuse");
    h.fake.script(k, [{ text: "Done." }]);
    await h.sendJson(h.member.token, chat.id, k);
    const [question, answer] = await branch(h.member.token, chat.id);

    const wrongKind = await call(edit, {
      token: h.member.token,
      params: { id: chat.id, message_id: answer!.id },
      body: { content: "x" },
    });
    expect([wrongKind.status, wrongKind.body.code]).toEqual([400, "message.not_editable"]);
    const notAnswer = await call(regenerate, {
      token: h.member.token,
      params: { id: chat.id, message_id: question!.id },
      body: {},
    });
    expect([notAnswer.status, notAnswer.body.code]).toEqual([400, "message.not_regenerable"]);

    const other = await h.newChat(h.member.token, []);
    for (const res of [
      await call(edit, {
        token: h.member.token,
        params: { id: other.id, message_id: question!.id },
        body: { content: "x" },
      }),
      await call(selectBranch, {
        token: h.member.token,
        params: { id: other.id },
        body: { message_id: question!.id },
      }),
    ]) {
      expect([res.status, res.body.code]).toEqual([404, "message.not_found"]);
    }
    const notOwner = await call(regenerate, {
      token: h.admin.token,
      params: { id: chat.id, message_id: answer!.id },
      body: {},
    });
    expect([notOwner.status, notOwner.body.code]).toEqual([404, "chat.not_found"]);
    const badId = await call(regenerate, {
      token: h.member.token,
      params: { id: chat.id, message_id: "nope" },
      body: {},
    });
    expect([badId.status, badId.body.code]).toEqual([400, "validation.id"]);

    // A running turn (as another instance would hold it) makes every way in busy.
    const [running] = await h.db
      .insert(turns)
      .values({ chatId: chat.id, assistantMessageId: randomUUID() })
      .returning();
    try {
      const busy = [
        await call(regenerate, {
          token: h.member.token,
          params: { id: chat.id, message_id: answer!.id },
          body: {},
        }),
        await call(edit, {
          token: h.member.token,
          params: { id: chat.id, message_id: question!.id },
          body: { content: "x" },
        }),
        await call(selectBranch, {
          token: h.member.token,
          params: { id: chat.id },
          body: { message_id: question!.id },
        }),
      ];
      expect(busy.map((r) => [r.status, r.body.code])).toEqual([
        [409, "chat.busy"],
        [409, "chat.busy"],
        [409, "chat.busy"],
      ]);
    } finally {
      await h.db.delete(turns).where(eq(turns.id, running!.id));
    }
    // Nothing changed.
    expect((await branch(h.member.token, chat.id)).map((m) => m.id)).toEqual([
      question!.id,
      answer!.id,
    ]);
  });
});
