/**
 * Bounds what an MCP server can make toolgate hold in memory. The SDK transports buffer a
 * JSON response whole and an SSE event until its blank line, so a hostile or broken server
 * could grow either without end. This fetch wrapper counts bytes as the body is read (never
 * buffering it) and cuts the body of a request past its deadline, so an endless response
 * ends with the call's timeout instead of living on.
 */
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { pausableTimeout } from "./elicitation-scope";

/** Largest JSON body, or single SSE event, accepted from an MCP server. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** The call timeout (60 s) plus slack: no request's own response may stream for longer. */
export const DEFAULT_MAX_RESPONSE_MS = 65_000;

export type ResponseLimitKind = "too_large" | "too_slow";

/** What reading a capped body throws; classified as `mcp.response_too_large` / `mcp.timeout`. */
export class McpResponseLimitError extends Error {
  override readonly name = "McpResponseLimitError";
  constructor(
    readonly kind: ResponseLimitKind,
    readonly limit: number,
  ) {
    super(
      kind === "too_large"
        ? `The MCP server sent a response larger than ${limit} bytes; it was cut.`
        : `The MCP server's response was still streaming after ${limit} ms; it was cut.`,
    );
  }
}

export interface ResponseLimits {
  maxBytes?: number;
  /** For responses to POSTs; the long-lived GET event stream of a session is exempt. */
  maxMs?: number;
  /** Told when a limit cut a body, so the connection can be dropped at once. */
  onLimit?: (error: McpResponseLimitError) => void;
}

/**
 * Counts bytes since the last event boundary (a blank line; lines end in CRLF, LF or CR, as
 * the SSE format allows) for an event stream, or from the start for any other body, and
 * errors the stream once `maxBytes` is passed.
 */
function countingStream(
  eventStream: boolean,
  maxBytes: number,
  fail: (error: McpResponseLimitError) => void,
): TransformStream<Uint8Array, Uint8Array> {
  let count = 0;
  // Line state across chunk edges: whether the current line is still empty, and whether the
  // last byte was a CR (so a following LF ends no second line).
  let lineEmpty = false;
  let afterCr = false;
  const endLine = () => {
    if (lineEmpty) count = 0;
    lineEmpty = true;
  };
  // Checked as bytes are counted, not per chunk: an event boundary later in the same chunk
  // must not hide an event that was already too large.
  const over = () => count > maxBytes;
  return new TransformStream({
    transform(chunk, controller) {
      let tooLarge = false;
      if (!eventStream) {
        count += chunk.byteLength;
        tooLarge = over();
      } else {
        for (let i = 0; i < chunk.byteLength && !tooLarge; i += 1) {
          const byte = chunk[i]!;
          if (byte === 0x0d) {
            endLine();
            afterCr = true;
          } else if (byte === 0x0a) {
            if (!afterCr) endLine();
            afterCr = false;
          } else {
            afterCr = false;
            lineEmpty = false;
            count += 1;
            tooLarge = over();
          }
        }
      }
      if (tooLarge) {
        const error = new McpResponseLimitError("too_large", maxBytes);
        fail(error);
        controller.error(error);
        return;
      }
      controller.enqueue(chunk);
    },
  });
}

/** Wraps a fetch so every response body it returns is read within the limits. */
export function limitResponses(fetchFn: FetchLike, limits: ResponseLimits = {}): FetchLike {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxMs = limits.maxMs ?? DEFAULT_MAX_RESPONSE_MS;
  return async (input, init) => {
    const method = (init?.method ?? "GET").toUpperCase();
    // A POST's response belongs to one request; its deadline also bounds the wait for headers.
    const deadline = method === "POST" ? new AbortController() : undefined;
    // Stands still while a person answers the server's question about this request.
    const deadlineTimer =
      deadline === undefined
        ? undefined
        : pausableTimeout(maxMs, () =>
            deadline.abort(new McpResponseLimitError("too_slow", maxMs)),
          );
    const signal =
      deadline === undefined
        ? init?.signal
        : init?.signal
          ? AbortSignal.any([init.signal, deadline.signal])
          : deadline.signal;
    let response: Response;
    try {
      response = await fetchFn(input, { ...init, ...(signal && { signal }) });
    } catch (error) {
      deadlineTimer?.clear();
      throw deadline?.signal.aborted ? deadline.signal.reason : error;
    }
    const body = response.body;
    if (body === null) {
      deadlineTimer?.clear();
      return response;
    }
    const failed = (error: McpResponseLimitError) => {
      deadlineTimer?.clear();
      limits.onLimit?.(error);
    };
    const contentType = response.headers.get("content-type") ?? "";
    const counted = body.pipeThrough(
      countingStream(contentType.includes("text/event-stream"), maxBytes, failed),
    );
    const reader = counted.getReader();
    // Re-streamed by hand so the deadline can error the body the transport is reading, and
    // so cancelling it (the transport giving up) cancels the socket underneath.
    const limited = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            deadlineTimer?.clear();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          deadlineTimer?.clear();
          const reason: unknown = deadline?.signal.aborted ? deadline.signal.reason : error;
          if (reason instanceof McpResponseLimitError && reason.kind === "too_slow") {
            limits.onLimit?.(reason);
          }
          controller.error(reason);
        }
      },
      async cancel(reason) {
        deadlineTimer?.clear();
        await reader.cancel(reason);
      },
    });
    const wrapped = new Response(limited, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    Object.defineProperties(wrapped, {
      url: { value: response.url, enumerable: true },
      redirected: { value: response.redirected, enumerable: true },
    });
    return wrapped;
  };
}
