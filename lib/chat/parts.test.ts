import { describe, expect, it } from "vitest";
import { PartsBuilder } from "./parts";
import { replayChunks } from "./replay";

describe("PartsBuilder", () => {
  it("stores the model's reasoning beside its answer, and replays both", () => {
    const built = new PartsBuilder(() => undefined);
    for (const chunk of [
      { type: "reasoning-start", id: "r1" },
      { type: "reasoning-delta", id: "r1", delta: "The user wants " },
      { type: "reasoning-delta", id: "r1", delta: "a table." },
      { type: "reasoning-end", id: "r1" },
      // A provider may reuse the id for the text that follows.
      { type: "text-start", id: "r1" },
      { type: "text-delta", id: "r1", delta: "| a | b |" },
      { type: "text-end", id: "r1" },
    ]) {
      built.apply(chunk);
    }
    expect(built.parts).toEqual([
      { type: "reasoning", text: "The user wants a table." },
      { type: "text", text: "| a | b |" },
    ]);

    const again = new PartsBuilder(() => undefined);
    for (const chunk of replayChunks(built.parts)) again.apply(chunk);
    expect(again.parts).toEqual(built.parts);
  });

  it("replays an error result by its message, as a reload shows it", () => {
    const chunks = replayChunks([
      {
        type: "tool",
        tool_call_id: "c1",
        name: "srv__count",
        source: "mcp",
        input: {},
        state: "error",
        is_error: true,
        output: { is_error: true, text: "The tool srv__count returned a bad result.", code: "x" },
      },
    ]);
    expect(chunks.at(-1)).toMatchObject({
      type: "tool-output-error",
      errorText: "The tool srv__count returned a bad result.",
    });
  });
});

describe("elicitation parts", () => {
  it("are replaced by their answered state, and replay as they were stored", () => {
    const pending = {
      type: "elicitation" as const,
      elicitation_id: "e1",
      tool_call_id: "call-1",
      server_name: "Tickets",
      mode: "form" as const,
      message: "Who?",
      requested_schema: { type: "object", properties: {} },
      state: "pending" as const,
      expires_at: "2026-01-01T00:10:00.000Z",
    };
    const built = new PartsBuilder(() => undefined);
    built.apply({ type: "data-elicitation", id: "e1", data: pending });
    built.apply({ type: "data-elicitation", id: "e1", data: { ...pending, state: "accepted" } });
    expect(built.parts).toEqual([{ ...pending, state: "accepted" }]);

    const again = new PartsBuilder(() => undefined);
    for (const chunk of replayChunks(built.parts)) again.apply(chunk);
    expect(again.parts).toEqual(built.parts);
  });
});
