// The model's reasoning is stored with the answer (a `reasoning` part), so a reloaded chat shows
// what the live stream showed; it is never sent back to the model.
import { describe, expect, it } from "vitest";
import { call } from "@/lib/testing/http";
import { withHostileTurns } from "@/lib/testing/hostile-turns";
import { GET as getChat } from "../route";

const h = withHostileTurns();

describe("reasoning", () => {
  it("is stored with the message and not sent back on the next turn", async () => {
    const chat = await h.newChat(h.member.token, []);
    const k = h.key("reasoning");
    const script = h.fake.script(k, [
      { reasoning: "The user asks for a greeting.", text: "Hello." },
      { text: "Again." },
    ]);
    const first = await h.sendJson(h.member.token, chat.id, k);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.message.parts).toEqual([
      { type: "reasoning", text: "The user asks for a greeting." },
      { type: "text", text: "Hello." },
    ]);
    const reloaded = await call(getChat, { token: h.member.token, params: { id: chat.id } });
    const messages = (reloaded.body as { messages: { role: string; parts: unknown[] }[] }).messages;
    expect(messages.at(-1)!.parts).toEqual(first.body.message.parts);

    const second = await h.sendJson(h.member.token, chat.id, "and again");
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(JSON.stringify(script.requests()[1]!.messages)).not.toContain("asks for a greeting");
  });
});
