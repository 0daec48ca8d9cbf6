import { describe, expect, it } from "vitest";
import type { McpServerConfig } from "@/lib/client/types";
import { findToolServer, humanizeToolName, splitModelIntent, toolCallLabel } from "./tool-label";

describe("humanizeToolName", () => {
  it("drops the server prefix and turns separators into spaces", () => {
    expect(humanizeToolName("docs__search_pages")).toBe("Search pages");
    expect(humanizeToolName("my-wiki__get-page_by-id")).toBe("Get page by id");
    expect(humanizeToolName("echo")).toBe("Echo");
    expect(humanizeToolName("__")).toBe("__");
  });
});

describe("splitModelIntent", () => {
  it("unwraps the wrapped shape", () => {
    expect(
      splitModelIntent({ model_intent: "searching the docs", properties: { query: "sso" } }),
    ).toEqual({ intent: "Searching the docs", args: { query: "sso" } });
  });

  it("accepts the flat shape models also send", () => {
    expect(splitModelIntent({ model_intent: "Echoing", text: "hi" })).toEqual({
      intent: "Echoing",
      args: { text: "hi" },
    });
  });

  it("leaves inputs without an intent, or with a malformed one, readable", () => {
    expect(splitModelIntent({ text: "hi" })).toEqual({ args: { text: "hi" } });
    expect(splitModelIntent("raw")).toEqual({ args: "raw" });
    expect(splitModelIntent({ model_intent: 42, properties: { a: 1 } })).toEqual({
      intent: undefined,
      args: { a: 1 },
    });
    // Partial input while it streams.
    expect(splitModelIntent({ model_intent: "Look" })).toEqual({ intent: "Look", args: {} });
  });
});

describe("toolCallLabel", () => {
  it("prefers the intent, then the input's intent, then the humanized name", () => {
    expect(toolCallLabel({ name: "docs__search", intent: "finding SSO docs" })).toBe(
      "Finding SSO docs",
    );
    expect(
      toolCallLabel({ name: "docs__search", input: { model_intent: "x", properties: {} } }),
    ).toBe("X");
    expect(toolCallLabel({ name: "docs__search", intent: "  " })).toBe("Search");
  });
});

describe("findToolServer", () => {
  const servers = [
    { id: "a", slug: "docs" },
    { id: "b", slug: "wiki-two" },
  ] as McpServerConfig[];

  it("finds by id, then by the exposed name's slug prefix", () => {
    expect(findToolServer(servers, "anything", "b")?.id).toBe("b");
    expect(findToolServer(servers, "wiki-two__get", undefined)?.id).toBe("b");
    expect(findToolServer(servers, "docs__get", "gone")?.id).toBe("a");
    expect(findToolServer(servers, "builtin_tool")).toBeUndefined();
  });
});
