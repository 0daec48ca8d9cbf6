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
