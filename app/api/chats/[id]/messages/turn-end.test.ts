// The end of a turn: a follower's stream carries every chunk up to `finish` and closes; once
// the turn is over its stream rows are deleted and the message alone describes it (the stream
// route answers 204, the chat shows the same parts).
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { turnChunks, turns } from "@/db/schema";
import { deleteFinishedChunksNow } from "@/lib/chat/stream-bus";
import { call, ORIGIN } from "@/lib/testing/http";
import { withHostileTurns } from "@/lib/testing/hostile-turns";
import { GET as getChat } from "../route";
import { GET as getStream } from "../stream/route";
import { POST as sendMessage } from "./route";

const h = withHostileTurns();

async function chunkRows(chatId: string): Promise<number> {
  const ids = (await h.db.select({ id: turns.id }).from(turns).where(eq(turns.chatId, chatId))).map(
    (t) => t.id,
  );
  if (ids.length === 0) return 0;
  return (await h.db.select().from(turnChunks).where(inArray(turnChunks.turnId, ids))).length;
}

describe("the end of a turn", () => {
  it("streams every chunk to the end, then leaves only the message", async () => {
    const server = await h.server();
    const chat = await h.newChat(h.member.token, [server.id]);
    const k = h.key("end");
    h.fake.script(k, [
      { toolCalls: [{ name: `${server.slug}__echo`, arguments: { text: "ping" } }] },
      { text: "All done." },
    ]);
    const res = await sendMessage(
      new Request(`${ORIGIN}/api/chats/${chat.id}/messages`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${h.member.token}`,
          "content-type": "application/json",
          accept: "text/event-stream",
        },
        body: JSON.stringify({ content: k }),
      }),
      { params: Promise.resolve({ id: chat.id }) },
    );
    expect(res.status).toBe(200);
    const events = (await res.text())
      .split("\n\n")
      .filter((e) => e.startsWith("data: "))
      .map((e) => e.slice(6));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events
      .slice(0, -1)
      .map((e) => JSON.parse(e) as { type: string; delta?: string });
    expect(chunks[0]!.type).toBe("start");
    expect(chunks.at(-1)!.type).toBe("finish");
    expect(chunks.map((c) => c.type)).toContain("tool-output-available");
    const text = chunks.filter((c) => c.type === "text-delta").map((c) => c.delta);
    expect(text.join("")).toBe("All done.");

    const stored = await call(getChat, { token: h.member.token, params: { id: chat.id } });
    const message = (
      stored.body as { messages: { role: string; status: string; parts: { type: string }[] }[] }
    ).messages.at(-1)!;
    expect(message.status).toBe("complete");
    expect(message.parts.map((p) => p.type)).toEqual(["tool", "text"]);
    expect((stored.body as { status: string }).status).toBe("idle");

    // The rows stay while followers elsewhere may still drain them, then go.
    expect(await chunkRows(chat.id)).toBe(chunks.length);
    await deleteFinishedChunksNow();
    expect(await chunkRows(chat.id)).toBe(0);
    const resumed = await call(getStream, { token: h.member.token, params: { id: chat.id } });
    expect(resumed.status).toBe(204);
    const again = await call(getChat, { token: h.member.token, params: { id: chat.id } });
    expect(again.body).toEqual(stored.body);
  });
});
