import { describe, expect, it } from "vitest";
import { limitResponses, McpResponseLimitError } from "./response-limits";

const encoder = new TextEncoder();

/** A fetch answering with these chunks (then ending, or hanging when `endless`). */
function fakeFetch(chunks: string[], contentType: string, endless = false) {
  return async (_input: string | URL, init?: RequestInit) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        if (!endless) controller.close();
        init?.signal?.addEventListener("abort", () => controller.error(init.signal!.reason));
      },
    });
    return new Response(body, { headers: { "content-type": contentType } });
  };
}

async function readAll(response: Response): Promise<string> {
  return response.text();
}

describe("limitResponses", () => {
  it("caps an event stream per event, whatever the line endings", async () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const event = `data: ${"x".repeat(50)}${eol}${eol}`;
      const many = limitResponses(fakeFetch(Array(100).fill(event), "text/event-stream"), {
        maxBytes: 100,
      });
      expect((await readAll(await many("http://x/mcp"))).length).toBe(event.length * 100);

      const one = limitResponses(
        fakeFetch(
          [`data: ${"x".repeat(60)}${eol}`, `data: ${"y".repeat(60)}${eol}${eol}`],
          "text/event-stream",
        ),
        { maxBytes: 100 },
      );
      await expect(readAll(await one("http://x/mcp"))).rejects.toBeInstanceOf(
        McpResponseLimitError,
      );
    }
  });

  it("caps any other body as a whole and tells the caller", async () => {
    const seen: McpResponseLimitError[] = [];
    const limited = limitResponses(
      fakeFetch(["{".repeat(60), "}".repeat(60)], "application/json"),
      {
        maxBytes: 100,
        onLimit: (error) => seen.push(error),
      },
    );
    await expect(readAll(await limited("http://x/mcp"))).rejects.toMatchObject({
      kind: "too_large",
    });
    expect(seen.map((e) => e.kind)).toEqual(["too_large"]);
  });

  it("cuts a POST's body past the deadline, never the session's GET stream", async () => {
    const seen: string[] = [];
    const limited = limitResponses(fakeFetch(["partial"], "application/json", true), {
      maxMs: 100,
      onLimit: (error) => seen.push(error.kind),
    });
    const post = await limited("http://x/mcp", { method: "POST" });
    await expect(readAll(post)).rejects.toMatchObject({ kind: "too_slow" });
    expect(seen).toEqual(["too_slow"]);

    const get = await limited("http://x/mcp", { method: "GET" });
    const reader = get.body!.getReader();
    await reader.read();
    const next = await Promise.race([
      reader.read().then(() => "data"),
      new Promise((resolve) => setTimeout(() => resolve("still open"), 300)),
    ]);
    expect(next).toBe("still open");
    await reader.cancel();
  });
});
