import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";

import {
  BLOB_RESOURCE_URI,
  GET_RESOURCE_CONTENT,
  GUIDE_RESOURCE_URI,
  README_RESOURCE_TEXT,
  README_RESOURCE_URI,
  TEST_BLOB_BASE64,
  TEST_IMAGE_PNG_BASE64,
} from "@/e2e/fixtures/mcp-test-server";
import {
  capDescription,
  convertToolResult,
  MAX_DISPLAY_IMAGE_BYTES,
  MAX_INPUT_SCHEMA_BYTES,
  MAX_MODEL_INTENT_CHARS,
  MAX_RESULT_CHARS,
  MAX_TOOL_DESCRIPTION_CHARS,
  MODEL_INTENT_DESCRIPTION,
  modelFacingSchema,
  unwrapToolInput,
} from "@/lib/mcp/tool-adapter";

const ECHO_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: { text: { type: "string", description: "Text to echo back" } },
  required: ["text"],
  additionalProperties: false,
};

function bytesOf(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/** Base64 of `bytes` zero bytes. */
function zeros(bytes: number): string {
  return Buffer.alloc(bytes).toString("base64");
}

describe("capDescription", () => {
  it("keeps a short description, trimmed", () => {
    expect(capDescription("  Reads docs.\n")).toBe("Reads docs.");
    expect(capDescription(undefined)).toBe("");
    expect(capDescription(`${"x".repeat(MAX_TOOL_DESCRIPTION_CHARS)}`)).toHaveLength(
      MAX_TOOL_DESCRIPTION_CHARS,
    );
  });

  it("caps a long description with a marker, within the limit", () => {
    const capped = capDescription("word ".repeat(5_000));
    expect(capped.length).toBeLessThanOrEqual(MAX_TOOL_DESCRIPTION_CHARS);
    expect(capped.endsWith("[truncated]")).toBe(true);
    expect(capped.startsWith("word word")).toBe(true);
  });

  it("never splits a surrogate pair", () => {
    const capped = capDescription("😀".repeat(MAX_TOOL_DESCRIPTION_CHARS));
    const body = capped.replace(/… \[truncated\]$/u, "");
    expect(body).toMatch(/^(😀)+$/u);
    expect(capped.length).toBeLessThanOrEqual(MAX_TOOL_DESCRIPTION_CHARS);
  });
});

describe("modelFacingSchema", () => {
  it("passes a schema through unchanged without model_intent", () => {
    expect(modelFacingSchema(ECHO_SCHEMA, false)).toEqual({
      schema: ECHO_SCHEMA,
      truncated: false,
    });
  });

  it("fills in a missing type and properties (MCP servers sometimes send {})", () => {
    expect(modelFacingSchema({}, false)).toEqual({
      schema: { type: "object", properties: {} },
      truncated: false,
    });
  });

  it("replaces a root that is not an object schema", () => {
    const result = modelFacingSchema({ type: "string" }, false);
    expect(result.truncated).toBe(true);
    expect(result.schema).toMatchObject({ type: "object", additionalProperties: true });
  });

  it("wraps the arguments under properties beside a required model_intent", () => {
    const { schema, truncated } = modelFacingSchema(ECHO_SCHEMA, true);

    expect(truncated).toBe(false);
    const { $schema: _dropped, ...inner } = ECHO_SCHEMA;
    expect(schema).toEqual({
      $schema: ECHO_SCHEMA.$schema,
      type: "object",
      properties: {
        model_intent: { type: "string", description: MODEL_INTENT_DESCRIPTION },
        properties: inner,
      },
      required: ["model_intent", "properties"],
      additionalProperties: false,
    });
    expect(MODEL_INTENT_DESCRIPTION).toContain("present tense");
  });

  it("re-points local $refs at the wrapped location", () => {
    const withRefs = {
      type: "object",
      properties: { filter: { $ref: "#/$defs/filter" }, list: { items: { $ref: "#" } } },
      $defs: { filter: { type: "object", properties: { q: { type: "string" } } } },
    };

    const { schema } = modelFacingSchema(withRefs, true);
    const inner = (schema.properties as Record<string, any>).properties;

    expect(inner.properties.filter.$ref).toBe("#/properties/properties/$defs/filter");
    expect(inner.properties.list.items.$ref).toBe("#/properties/properties");
    expect(inner.$defs.filter.properties.q).toEqual({ type: "string" });
    // The input is not mutated.
    expect(withRefs.properties.filter.$ref).toBe("#/$defs/filter");
  });

  it("drops annotations from an oversized schema, keeping properties named like keywords", () => {
    const properties: Record<string, unknown> = {
      description: { type: "string", description: "A property called description" },
      title: { type: "string" },
    };
    for (let i = 0; i < 300; i += 1) {
      properties[`field_${i}`] = { type: "string", description: "d".repeat(200), title: "T" };
    }
    const big = { type: "object", properties, required: ["description"] };
    expect(bytesOf(big)).toBeGreaterThan(MAX_INPUT_SCHEMA_BYTES);

    const { schema, truncated } = modelFacingSchema(big, false);

    expect(truncated).toBe(true);
    expect(bytesOf(schema)).toBeLessThanOrEqual(MAX_INPUT_SCHEMA_BYTES);
    const kept = schema.properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(kept)).toHaveLength(302);
    expect(kept.description).toEqual({ type: "string" });
    expect(kept.title).toEqual({ type: "string" });
    expect(kept.field_0).toEqual({ type: "string" });
    expect(schema.required).toEqual(["description"]);
  });

  it("falls back to an open object when even the stripped schema is too large", () => {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < 3_000; i += 1) properties[`field_${i}`] = { type: "string" };

    const plain = modelFacingSchema({ type: "object", properties }, false);
    const wrapped = modelFacingSchema({ type: "object", properties }, true);

    expect(plain.truncated).toBe(true);
    expect(plain.schema).toMatchObject({ type: "object", additionalProperties: true });
    expect(String(plain.schema.description)).toContain("too large");
    expect(wrapped.truncated).toBe(true);
    expect((wrapped.schema.properties as Record<string, unknown>).properties).toEqual(plain.schema);
  });

  it("measures UTF-8 bytes, not characters", () => {
    // 12,000 characters of 3-byte text: under the cap in characters, over it in bytes.
    const schema = { type: "object", description: "€".repeat(12_000) };
    expect(JSON.stringify(schema).length).toBeLessThan(MAX_INPUT_SCHEMA_BYTES);

    const result = modelFacingSchema(schema, false);

    expect(result.truncated).toBe(true);
    expect(result.schema.description).toBeUndefined();
  });
});

describe("unwrapToolInput", () => {
  it("unwraps the wrapped form and never forwards model_intent", () => {
    expect(
      unwrapToolInput(
        { model_intent: "Searching the docs for SSO", properties: { topic: "sso" } },
        true,
      ),
    ).toEqual({ ok: true, args: { topic: "sso" }, intent: "Searching the docs for SSO" });
  });

  it("accepts the flat form", () => {
    expect(unwrapToolInput({ model_intent: "Echoing", text: "hi" }, true)).toEqual({
      ok: true,
      args: { text: "hi" },
      intent: "Echoing",
    });
  });

  it("accepts a missing model_intent and an empty argument set", () => {
    expect(unwrapToolInput({ properties: { a: 1 } }, true)).toEqual({ ok: true, args: { a: 1 } });
    expect(unwrapToolInput({ model_intent: "Listing", properties: {} }, true)).toEqual({
      ok: true,
      args: {},
      intent: "Listing",
    });
    expect(unwrapToolInput({}, true)).toEqual({ ok: true, args: {} });
  });

  it("merges keys given beside the wrapper, the wrapped ones winning", () => {
    expect(
      unwrapToolInput({ model_intent: "x", properties: { a: 1, b: 2 }, b: 3, c: 4 }, true),
    ).toEqual({ ok: true, args: { a: 1, b: 2, c: 4 }, intent: "x" });
  });

  it("accepts properties sent as a JSON string of an object", () => {
    expect(unwrapToolInput({ model_intent: "x", properties: '{"a": [1, 2]}' }, true)).toEqual({
      ok: true,
      args: { a: [1, 2] },
      intent: "x",
    });
  });

  it("keeps unicode intact and tidies the intent", () => {
    const result = unwrapToolInput(
      { model_intent: "  Searching\n for «café» 🔍  ", properties: { q: "日本語 😀" } },
      true,
    );
    expect(result).toEqual({
      ok: true,
      args: { q: "日本語 😀" },
      intent: "Searching for «café» 🔍",
    });

    const long = unwrapToolInput({ model_intent: "😀".repeat(500), properties: {} }, true);
    expect(long.ok && long.intent!.length).toBeLessThanOrEqual(MAX_MODEL_INTENT_CHARS);
    expect(long.ok && long.intent).toMatch(/^(😀)+…$/u);
    expect(unwrapToolInput({ model_intent: "   ", properties: {} }, true)).toEqual({
      ok: true,
      args: {},
    });
  });

  it.each([
    ["a string", "just text", "expected a JSON object"],
    ["null", null, "got null"],
    ["an array", [1, 2], "got an array"],
    ["undefined", undefined, "got a undefined"],
  ])("rejects input that is %s", (_label, input, message) => {
    const result = unwrapToolInput(input, true);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
    expect(unwrapToolInput(input, false).ok).toBe(false);
  });

  it.each([
    ["a number", 5, "got a number"],
    ["null", null, "got null"],
    ["an array", [{ a: 1 }], "got an array"],
    ["a string that is not an object", "[1]", "got a string"],
    ["a string that is not JSON", "{oops", "got a string"],
  ])("rejects properties that is %s, explaining the expected shape", (_label, properties, got) => {
    const result = unwrapToolInput({ model_intent: "x", properties }, true);
    expect(result.ok).toBe(false);
    const error = !result.ok ? result.error : "";
    expect(error).toContain('"properties" must be an object');
    expect(error).toContain(got);
    expect(error).toContain('"model_intent"');
  });

  it("rejects a model_intent that is not a string", () => {
    for (const intent of [42, { text: "x" }, null, ["a"]]) {
      const result = unwrapToolInput({ model_intent: intent, properties: {} }, true);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toContain('"model_intent" must be a string');
    }
  });

  it("passes input through when model_intent is off, even a model_intent key", () => {
    const input = { model_intent: "kept", properties: { a: 1 }, text: "hi" };
    const result = unwrapToolInput(input, false);
    expect(result).toEqual({ ok: true, args: input });
    expect(result.ok && result.args).not.toBe(input);
  });
});

describe("convertToolResult", () => {
  it("converts text content", () => {
    const converted = convertToolResult({
      content: [
        { type: "text", text: "first" },
        { type: "text", text: "second ✓" },
      ],
    });
    expect(converted).toEqual({
      isError: false,
      modelOutput: { type: "text", value: "first\n\nsecond ✓" },
      display: { text: "first\n\nsecond ✓" },
    });
  });

  it("marks isError results and sends them as error text", () => {
    const converted = convertToolResult({
      content: [{ type: "text", text: "The ticket does not exist." }],
      isError: true,
    });
    expect(converted.isError).toBe(true);
    expect(converted.modelOutput).toEqual({
      type: "error-text",
      value: "The ticket does not exist.",
    });
    expect(convertToolResult({ content: [], isError: true }).modelOutput).toEqual({
      type: "error-text",
      value: "The tool failed without a message.",
    });
  });

  it("says so when there is no output", () => {
    const converted = convertToolResult({ content: [] });
    expect(converted.modelOutput).toEqual({ type: "text", value: "(no output)" });
    expect(converted.display).toEqual({ text: "" });
  });

  it("sends images to the model as image-data parts and keeps small ones for the UI", () => {
    const converted = convertToolResult({
      content: [
        { type: "image", data: TEST_IMAGE_PNG_BASE64, mimeType: "image/png" },
        { type: "text", text: "A 1x1 red pixel." },
      ],
    });
    const bytes = Buffer.from(TEST_IMAGE_PNG_BASE64, "base64").length;

    expect(converted.modelOutput).toEqual({
      type: "content",
      value: [
        { type: "text", text: `[image image/png, ${bytes} bytes, attached]\n\nA 1x1 red pixel.` },
        { type: "image-data", data: TEST_IMAGE_PNG_BASE64, mediaType: "image/png" },
      ],
    });
    expect(converted.display.images).toEqual([
      { mimeType: "image/png", bytes, data: TEST_IMAGE_PNG_BASE64 },
    ]);
  });

  it("keeps only the size of a large image for the UI", () => {
    const data = zeros(MAX_DISPLAY_IMAGE_BYTES + 1);
    const converted = convertToolResult({
      content: [{ type: "image", data, mimeType: "image/jpeg" }],
    });

    expect(converted.display.images).toEqual([
      { mimeType: "image/jpeg", bytes: MAX_DISPLAY_IMAGE_BYTES + 1 },
    ]);
    expect(converted.modelOutput.type).toBe("content");
  });

  it("describes images instead of attaching them when images are off or too large", () => {
    const off = convertToolResult(
      { content: [{ type: "image", data: TEST_IMAGE_PNG_BASE64, mimeType: "image/png" }] },
      { includeImages: false },
    );
    expect(off.modelOutput).toEqual({
      type: "text",
      value: expect.stringMatching(/^\[image image\/png, \d+ bytes, not shown to the model\]$/),
    });
    expect(off.display.images).toHaveLength(1);

    const huge = convertToolResult({
      content: [{ type: "image", data: zeros(4_000_000), mimeType: "image/png" }],
    });
    expect(huge.modelOutput).toEqual({
      type: "text",
      value: "[image image/png, 4000000 bytes, too large to attach]",
    });
  });

  it("omits image data that is not base64", () => {
    const converted = convertToolResult({
      content: [{ type: "image", data: "not base64!", mimeType: "image/png" }],
    });
    expect(converted.modelOutput).toEqual({
      type: "text",
      value: "[image image/png with invalid data omitted]",
    });
    expect(converted.display.images).toBeUndefined();
  });

  it("describes audio by type and size", () => {
    const converted = convertToolResult({
      content: [{ type: "audio", data: zeros(1_000), mimeType: "audio/wav" }],
    });
    expect(converted.display.text).toBe("[audio audio/wav, 1000 bytes]");
  });

  it("converts embedded text and blob resources and resource links (get_resource)", () => {
    const converted = convertToolResult({
      content: [...GET_RESOURCE_CONTENT],
    });

    expect(converted.display.text).toBe(
      [
        `Resource ${README_RESOURCE_URI} (text/markdown):\n${README_RESOURCE_TEXT}`,
        `[binary resource ${BLOB_RESOURCE_URI}, application/octet-stream, 6 bytes]`,
        `Resource link ${GUIDE_RESOURCE_URI} (guide.md, text/markdown): The guide`,
      ].join("\n\n"),
    );
    expect(converted.modelOutput).toEqual({ type: "text", value: converted.display.text });
    // The person's view: a viewer, a size note with the (small) data, a link card.
    expect(converted.display.resources).toEqual([
      {
        kind: "text",
        uri: README_RESOURCE_URI,
        mimeType: "text/markdown",
        text: README_RESOURCE_TEXT,
      },
      {
        kind: "blob",
        uri: BLOB_RESOURCE_URI,
        mimeType: "application/octet-stream",
        bytes: 6,
        data: TEST_BLOB_BASE64,
      },
      {
        kind: "link",
        uri: GUIDE_RESOURCE_URI,
        name: "guide.md",
        description: "The guide",
        mimeType: "text/markdown",
      },
    ]);
  });

  it("treats an embedded image blob as an image", () => {
    const converted = convertToolResult({
      content: [
        {
          type: "resource",
          resource: { uri: "file:///a.png", mimeType: "image/png", blob: TEST_IMAGE_PNG_BASE64 },
        },
      ],
    });
    expect(converted.modelOutput.type).toBe("content");
    expect(converted.display.images).toMatchObject([{ mimeType: "image/png" }]);
  });

  it("uses structured content as JSON when there is no content", () => {
    const converted = convertToolResult({ content: [], structuredContent: { sum: 42 } });
    expect(converted.modelOutput).toEqual({ type: "text", value: '{"sum":42}' });
    expect(converted.display.structured).toEqual({ sum: 42 });
  });

  it("does not repeat structured content the text already mirrors, adds it otherwise", () => {
    const mirrored = convertToolResult({
      content: [{ type: "text", text: '{ "sum": 42 }' }],
      structuredContent: { sum: 42 },
    });
    expect(mirrored.display.text).toBe('{ "sum": 42 }');

    const extra = convertToolResult({
      content: [{ type: "text", text: "The sum is 42." }],
      structuredContent: { sum: 42 },
    });
    expect(extra.display.text).toBe('The sum is 42.\n\nStructured content:\n{"sum":42}');
  });

  it("caps the text at MAX_RESULT_CHARS and says how much was cut", () => {
    const text = "a".repeat(MAX_RESULT_CHARS + 5_000);
    const converted = convertToolResult({ content: [{ type: "text", text }] });

    const value = converted.modelOutput.type === "text" ? converted.modelOutput.value : "";
    expect(value.startsWith("a".repeat(MAX_RESULT_CHARS))).toBe(true);
    expect(
      value.endsWith(`[truncated: 5000 of ${MAX_RESULT_CHARS + 5_000} characters omitted]`),
    ).toBe(true);
    expect(value.length).toBeLessThan(MAX_RESULT_CHARS + 100);
    expect(converted.display.text).toBe(value);
  });

  it("never leaves half a surrogate pair at the cut", () => {
    const text = `a${"😀".repeat(MAX_RESULT_CHARS)}`;
    const converted = convertToolResult({ content: [{ type: "text", text }] });
    const kept = converted.display.text.split("\n\n[truncated")[0]!;
    expect(kept).toMatch(/^a(😀)+$/u);
  });

  it("drops oversized structured content from the display but keeps its capped text", () => {
    const structured = { rows: "x".repeat(MAX_RESULT_CHARS * 2) };
    const converted = convertToolResult({ content: [], structuredContent: structured });
    expect(converted.display.structured).toBeUndefined();
    expect(converted.display.text).toContain("[truncated:");
  });

  it("survives malformed results without throwing", () => {
    const malformed = {
      content: [
        null,
        "text",
        { type: "video", url: "x" },
        { type: "text" },
        { type: "resource" },
        { type: "resource_link" },
        { type: "audio" },
      ],
    } as unknown as CallToolResult;
    const converted = convertToolResult(malformed);
    expect(converted.display.text).toBe(
      [
        "[unsupported content type video]",
        "",
        "[binary resource (no uri), unknown type, invalid data]",
        "Resource link (no uri)",
        "[audio audio, invalid data]",
      ].join("\n\n"),
    );
    expect(convertToolResult({} as CallToolResult).display.text).toBe("");
  });
});
