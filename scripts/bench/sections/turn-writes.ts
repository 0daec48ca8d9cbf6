// What one turn writes and how its stream ends: the SQL statements of a turn with one tool
// call (the messages route included), the stream rows left once the turn is over, and how
// long a follower's stream stays open after the turn's `finish` chunk.
import { eq, inArray, sql } from "drizzle-orm";
import { POST as sendMessage } from "@/app/api/chats/[id]/messages/route";
import { turnChunks, turns } from "@/db/schema";
import { deleteFinishedChunksNow } from "@/lib/chat/stream-bus";
import { ORIGIN } from "@/lib/testing/http";
import type { BenchContext } from "../context";
import { median, ROUNDS } from "../measure";
import { ms, type SectionReport } from "../report";
import type { BenchSection } from "../section";
import { newChat, toolgateTurn } from "./turn";

/**
 * Route 3 (auth, chat, model; the JSON answer comes back from the end statement), the start 1
 * (one statement when nothing waits: turn, question, answer, chat, and the history read back),
 * the turn 5-7 (the config epoch at assembly and at the call on Postgres only, as PGlite hears
 * changes; the audit row; 1-2 batched writes; the end), the rows' deletion 1.
 */
const STATEMENT_BUDGET = 12;

async function chunkRows(ctx: BenchContext, chatId: string): Promise<number> {
  const ids = (
    await ctx.db.handle.db.select({ id: turns.id }).from(turns).where(eq(turns.chatId, chatId))
  ).map((t) => t.id);
  const [row] = await ctx.db.handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(turnChunks)
    .where(inArray(turnChunks.turnId, ids));
  return row?.n ?? 0;
}

/** A turn over SSE, as the browser runs it: ms from its `finish` chunk to the stream's end. */
async function streamTail(ctx: BenchContext, chatId: string, key: string): Promise<number> {
  ctx.fake.script(key, [
    { toolCalls: [{ name: "bench0__echo", arguments: { text: "hi" } }] },
    { text: "done" },
  ]);
  const req = new Request(`${ORIGIN}/api/chats/${chatId}/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${ctx.admin.token}`,
      "content-type": "application/json",
      accept: "text/event-stream",
    },
    body: JSON.stringify({ content: key }),
  });
  const res = await sendMessage(req, { params: Promise.resolve({ id: chatId }) });
  if (res.status !== 200 || !res.body) throw new Error(`turn failed: HTTP ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let finishedAt: number | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
    if (finishedAt === undefined && text.includes(`"type":"finish"`)) {
      finishedAt = performance.now();
    }
  }
  if (finishedAt === undefined) throw new Error("the stream had no finish chunk");
  return performance.now() - finishedAt;
}

export const turnWrites: BenchSection = {
  id: "turn-writes",
  title: "What a turn writes, and its stream's end",
  inProcess: true,
  async run(ctx: BenchContext, report: SectionReport) {
    const chats: string[] = [];
    for (let i = 0; i < ROUNDS + 3; i++) chats.push(await newChat(ctx.admin, [ctx.serverIds[0]!]));
    // Warm: the pool's connection, the config snapshot, the catalogue.
    await toolgateTurn(ctx, ctx.admin, chats.pop()!);
    await toolgateTurn(ctx, ctx.admin, chats.pop()!);

    const chatId = chats.pop()!;
    const before = ctx.statements();
    await toolgateTurn(ctx, ctx.admin, chatId);
    const inTurn = ctx.statements() - before;
    const stored = await chunkRows(ctx, chatId);
    // The deletion of the turn's stream rows, which runs after a grace, counts too.
    const beforeDeletion = ctx.statements();
    await deleteFinishedChunksNow();
    const statements = inTurn + ctx.statements() - beforeDeletion;
    const left = await chunkRows(ctx, chatId);
    report.figure({
      label: "SQL statements of a turn with one tool call (route included)",
      value: String(statements),
      goal: { text: `<= ${STATEMENT_BUDGET}`, met: statements <= STATEMENT_BUDGET },
    });
    report.figure({ label: "stream rows written by that turn", value: String(stored) });
    report.figure({
      label: "stream rows left once the turn is over",
      value: String(left),
      goal: { text: "0 (compacted into the message)", met: left === 0 },
    });

    const tails: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      tails.push(await streamTail(ctx, chats.pop()!, `bench-tail-${i}-${Date.now()}`));
    }
    const tail = median(tails);
    report.figure({
      label: "stream open after the turn's finish chunk",
      value: ms(tail),
      goal: { text: "<= 20 ms", met: tail <= 20 },
    });
  },
};
