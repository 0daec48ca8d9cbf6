// Tool schemas are converted once: the same listed tool (or built-in) gives the model the same
// Schema object turn after turn, so a warm turn converts nothing; a new listing converts anew.
import { asSchema } from "ai";
import { describe, expect, it } from "vitest";

import { builtinTools } from "@/lib/chat/builtins/registry";
import { modelFacingSchema } from "@/lib/mcp/tool-adapter";
import { builtinTool } from "./builtin-tools";
import { modelSchemaOf } from "./mcp-tool";

const listed = () => ({
  type: "object",
  properties: { text: { type: "string" } },
  required: ["text"],
});

describe("modelSchemaOf", () => {
  it("converts a listed schema once per listing and per intent setting", async () => {
    const input = listed();
    const plain = modelSchemaOf(input, false);
    const intent = modelSchemaOf(input, true);

    expect(modelSchemaOf(input, false)).toBe(plain);
    expect(modelSchemaOf(input, true)).toBe(intent);
    expect(intent).not.toBe(plain);
    expect(await plain.jsonSchema).toEqual(modelFacingSchema(input, false).schema);
    expect(await intent.jsonSchema).toEqual(modelFacingSchema(input, true).schema);
    // A new listing (the server's tools changed, or its config version) is converted anew.
    expect(modelSchemaOf(listed(), false)).not.toBe(plain);
  });
});

describe("builtinTool", () => {
  it("hands every turn the same, already converted schema of a built-in", async () => {
    const turn = { planMode: false, agent: "root" as const, selectedServerIds: new Set<string>() };
    const ctx = { denied: new Set<string>() } as never;
    const run = {} as never;
    for (const builtin of builtinTools()) {
      const first = builtinTool(builtin, turn, ctx, run, undefined);
      const second = builtinTool(builtin, turn, ctx, run, undefined);
      expect(second.inputSchema).toBe(first.inputSchema);
      const schema = await asSchema(first.inputSchema).jsonSchema;
      expect(schema).toMatchObject({ type: "object" });
    }
  });
});
