// The start of a turn and its JSON answer: one running turn per chat however many messages
// arrive at once (and a refused one leaves nothing behind), the question continues the shown
// branch, and the finished answer in JSON is what a reload of the chat shows.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages, turns } from "@/db/schema";
import { call } from "@/lib/testing/http";
import { withHostileTurns } from "@/lib/testing/hostile-turns";
import { GET as getChat } from "../route";
import { POST as sendMessage } from "./route";

const h = withHostileTurns();

type Reloaded = {
  status: string;
  updated_at: string;
  title: string;
  messages: { id: string; role: string; parent_id: string | null; status: string }[];
} & Record<string, unknown>;

describe("the start of a turn", () => {
  it("claims one turn when messages arrive at once; the refused ones store nothing", async () => {
    const chat = await h.newChat(h.member.token, []);
    const k = h.key("race");
    h.fake.script(k, [{ text: "Only one.", delayMs: 300 }]);
    const sends = await Promise.all(
      Array.from({ length: 4 }, () =>
        call(sendMessage, {
          token: h.member.token,
          params: { id: chat.id },
          body: { content: k },
          headers: { accept: "application/json" },
        }),
      ),
    );
    expect(sends.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    for (const refused of sends.filter((r) => r.status === 409)) {
      expect((refused.body as { code: string }).code).toBe("chat.busy");
    }
    const stored = await h.db.select().from(messages).where(eq(messages.chatId, chat.id));
    expect(stored.map((m) => m.role).sort()).toEqual(["assistant", "user"]);
    const claimed = await h.db.select().from(turns).where(eq(turns.chatId, chat.id));
    expect(claimed.map((t) => t.status)).toEqual(["done"]);
  });

  it("answers in JSON with the chat and message a reload shows, on the branch shown", async () => {
    const chat = await h.newChat(h.member.token, []);
    const first = h.key("first");
    h.fake.script(first, [{ text: "One." }, { text: "Two." }]);
    const one = await h.sendJson(h.member.token, chat.id, `${first}  and   more`);
    expect(one.status).toBe(200);
    const two = await h.sendJson(h.member.token, chat.id, "again");
    expect(two.status).toBe(200);

    const reload = await call<Reloaded>(getChat, {
      token: h.member.token,
      params: { id: chat.id },
    });
    const { messages: shown, ...reloadedChat } = reload.body;
    expect(two.body.chat).toEqual(reloadedChat);
    expect(reloadedChat.status).toBe("idle");
    // The title comes from the first question, whitespace folded.
    expect(reloadedChat.title).toBe(`${first} and more`);
    const last = shown.at(-1) as Record<string, unknown>;
    const { parent_id: _parent, sibling_ids: _siblings, ...lastMessage } = last;
    expect(two.body.message).toEqual(lastMessage);
    // question, answer, question, answer: each follows the one before.
    expect(shown.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    shown.forEach((m, i) => expect(m.parent_id).toBe(i === 0 ? null : shown[i - 1]!.id));
    expect(shown.every((m) => m.status === "complete")).toBe(true);
  });
});
