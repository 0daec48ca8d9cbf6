// Images from MCP tool results reach an OpenAI chat model as image input: the request the
// (fake) model receives carries the text in the tool message and the image in a user message
// right after it. A generic OpenAI-compatible server's model gets the text note only.
import { dynamicTool, generateText, jsonSchema, stepCountIs } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "@/e2e/fixtures/fake-openai";
import { TEST_IMAGE_PNG_BASE64 } from "@/e2e/fixtures/mcp-test-server";
import { insertModelProvider } from "@/db/queries/model-providers";
import { convertToolResult } from "@/lib/mcp/tool-adapter";
import { withTestDatabase } from "@/lib/testing/db";
import { resolveModel, takesToolResultImages } from "./registry";

const t = withTestDatabase();
let fake: FakeOpenAI;
const previousAllowlist = process.env.EGRESS_ALLOWLIST;

beforeAll(async () => {
  process.env.EGRESS_ALLOWLIST = "127.0.0.1";
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  if (previousAllowlist === undefined) delete process.env.EGRESS_ALLOWLIST;
  else process.env.EGRESS_ALLOWLIST = previousAllowlist;
  await fake.close();
});

/** One turn: the model calls `snapshot`, an MCP-style tool returning text and a PNG. */
async function turnWith(kind: "openai" | "openai-compatible", match: string) {
  const row = await insertModelProvider(t.db, {
    kind,
    displayName: kind,
    baseUrl: fake.url,
    models: ["gpt-4o"],
  });
  const resolved = await resolveModel(t.db, `${row.id}:gpt-4o`);
  fake.script(match, [{ toolCalls: [{ name: "snapshot", id: "call_1" }] }, { text: "seen" }]);
  const outputs = new Map<string, ReturnType<typeof convertToolResult>["modelOutput"]>();
  const snapshot = dynamicTool({
    description: "Takes a snapshot",
    inputSchema: jsonSchema({ type: "object", properties: {} }),
    execute: async (_input, { toolCallId }) => {
      const converted = convertToolResult(
        {
          content: [
            { type: "text", text: "the screen" },
            { type: "image", data: TEST_IMAGE_PNG_BASE64, mimeType: "image/png" },
          ],
        },
        { includeImages: resolved.imageToolResults },
      );
      outputs.set(toolCallId, converted.modelOutput);
      return converted.display;
    },
    toModelOutput: ({ toolCallId }) => outputs.get(toolCallId)!,
  });
  const result = await generateText({
    model: resolved.model,
    prompt: match,
    tools: { snapshot },
    stopWhen: stepCountIs(2),
  });
  expect(result.text).toBe("seen");
  const second = fake.requests({ match })[1]!;
  return { resolved, messages: second.messages };
}

describe("tool-result images for OpenAI chat models", () => {
  it("decides by provider kind and model", () => {
    expect(takesToolResultImages("anthropic", "claude-sonnet-4-5")).toBe(true);
    expect(takesToolResultImages("openai", "gpt-4o")).toBe(true);
    expect(takesToolResultImages("openai", "o3-mini")).toBe(false);
    expect(takesToolResultImages("openai-compatible", "llava")).toBe(false);
  });

  it("sends the image as image input in a user message after the tool result", async () => {
    const { resolved, messages } = await turnWith("openai", "look at the screen please");
    expect(resolved.imageToolResults).toBe(true);
    const toolIndex = messages.findIndex((m) => m.role === "tool");
    const tool = messages[toolIndex]!;
    expect(tool.tool_call_id).toBe("call_1");
    expect(tool.content).toContain("the screen");
    expect(tool.content).toMatch(/\[image image\/png, \d+ bytes, attached\]/);
    expect(JSON.stringify(tool.content)).not.toContain(TEST_IMAGE_PNG_BASE64);
    const user = messages[toolIndex + 1]!;
    expect(user.role).toBe("user");
    expect(user.content).toEqual([
      { type: "text", text: "Image returned by the snapshot call call_1:" },
      {
        type: "image_url",
        image_url: { url: `data:image/png;base64,${TEST_IMAGE_PNG_BASE64}` },
      },
    ]);
    expect(messages).toHaveLength(toolIndex + 2);
  });

  it("gives a generic OpenAI-compatible model a text note, no image", async () => {
    const { resolved, messages } = await turnWith("openai-compatible", "look at the other one");
    expect(resolved.imageToolResults).toBe(false);
    const tool = messages.find((m) => m.role === "tool")!;
    expect(tool.content).toMatch(/not shown to the model/);
    expect(JSON.stringify(messages)).not.toContain(TEST_IMAGE_PNG_BASE64);
    expect(messages.at(-1)!.role).toBe("tool");
  });
});
