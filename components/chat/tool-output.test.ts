import { describe, expect, it } from "vitest";
import { describeToolOutput, isErrorOutput } from "./tool-output";

const PNG = "iVBORw0KGgo=";

describe("describeToolOutput", () => {
  it("shows toolgate's display result: text, then images with data", () => {
    expect(
      describeToolOutput({
        is_error: false,
        text: "A 1x1 red pixel.",
        images: [
          { mimeType: "image/png", bytes: 8, data: PNG },
          { mimeType: "image/png", bytes: 9_000_000 },
        ],
      }),
    ).toEqual([
      { kind: "text", text: "A 1x1 red pixel." },
      { kind: "image", src: `data:image/png;base64,${PNG}`, alt: "Image 1 returned by the tool" },
      { kind: "text", text: "[image image/png not shown]" },
    ]);
    expect(describeToolOutput({ is_error: false, text: "", structured: { sum: 3 } })).toEqual([
      { kind: "json", text: '{\n  "sum": 3\n}' },
    ]);
  });

  it("shows MCP text and images", () => {
    expect(
      describeToolOutput({
        content: [
          { type: "image", data: PNG, mimeType: "image/png" },
          { type: "text", text: "A pixel" },
        ],
      }),
    ).toEqual([
      { kind: "image", src: `data:image/png;base64,${PNG}`, alt: "Image 1 returned by the tool" },
      { kind: "text", text: "A pixel" },
    ]);
  });

  it("shows AI SDK content output", () => {
    expect(
      describeToolOutput({
        type: "content",
        value: [
          { type: "text", text: "hi" },
          { type: "image-data", data: PNG, mediaType: "image/png" },
        ],
      }),
    ).toEqual([
      { kind: "text", text: "hi" },
      { kind: "image", src: `data:image/png;base64,${PNG}`, alt: "Image 2 returned by the tool" },
    ]);
    expect(describeToolOutput({ type: "json", value: { a: 1 } })).toEqual([
      { kind: "json", text: '{\n  "a": 1\n}' },
    ]);
  });

  it("shows resources and links as text and never loads an image from a URL", () => {
    expect(
      describeToolOutput([
        { type: "resource", resource: { uri: "test://a", text: "body" } },
        { type: "resource", resource: { uri: "test://b", blob: "AAEC" } },
        { type: "resource_link", uri: "test://c", name: "Guide" },
        { type: "image", data: "https://tracker.example/p.png", mimeType: "image/png" },
      ]),
    ).toEqual([
      { kind: "text", text: "test://a\nbody" },
      { kind: "text", text: "[binary resource test://b]" },
      { kind: "text", text: "Link: Guide (test://c)" },
      {
        kind: "json",
        text: JSON.stringify(
          { type: "image", data: "https://tracker.example/p.png", mimeType: "image/png" },
          null,
          2,
        ),
      },
    ]);
  });

  it("falls back to structured content, then JSON", () => {
    expect(describeToolOutput({ content: [], structuredContent: { sum: 3 } })).toEqual([
      { kind: "json", text: '{\n  "sum": 3\n}' },
    ]);
    expect(describeToolOutput(42)).toEqual([{ kind: "json", text: "42" }]);
    expect(describeToolOutput("plain")).toEqual([{ kind: "text", text: "plain" }]);
    expect(describeToolOutput(undefined)).toEqual([]);
  });

  it("recognises MCP error results", () => {
    expect(isErrorOutput({ content: [], isError: true })).toBe(true);
    expect(isErrorOutput({ is_error: true, text: "boom" })).toBe(true);
    expect(isErrorOutput({ content: [] })).toBe(false);
  });
});
