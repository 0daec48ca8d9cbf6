import "server-only";
import type { Executor } from "@/db/client";
import { followTurn } from "./stream-bus";
import { loggableError } from "@/db/queries/errors";

/**
 * A turn's chunks as the AI SDK UI message stream (SSE). The response only reads from the
 * database, so a closed tab, a reload or another instance never affects the turn itself.
 */
export function turnStreamResponse(
  db: Executor,
  turnId: string,
  requestSignal: AbortSignal,
): Response {
  const encoder = new TextEncoder();
  // Stops following when the client disconnects or the reader cancels the body.
  const gone = new AbortController();
  requestSignal.addEventListener("abort", () => gone.abort(), { once: true });
  const signal = gone.signal;
  const body = new ReadableStream<Uint8Array>({
    cancel() {
      gone.abort();
    },
    async start(controller) {
      const send = (data: string) => {
        if (!signal.aborted) controller.enqueue(encoder.encode(`data: ${data}\n\n`));
      };
      let finished = false;
      try {
        for await (const chunk of followTurn(db, turnId, { signal })) {
          if (chunk.type === "finish") finished = true;
          send(JSON.stringify(chunk));
        }
        if (!finished && !signal.aborted) {
          send(JSON.stringify({ type: "error", errorText: "The turn was interrupted." }));
          send(JSON.stringify({ type: "finish" }));
        }
        if (!signal.aborted) send("[DONE]");
      } catch (err) {
        if (!signal.aborted) console.error(`[stream ${turnId}] failed:`, loggableError(err));
      } finally {
        try {
          controller.close();
        } catch {
          // Already closed because the client went away.
        }
      }
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
      "x-vercel-ai-ui-message-stream": "v1",
    },
  });
}
