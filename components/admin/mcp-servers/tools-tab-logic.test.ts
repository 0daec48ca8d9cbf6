import { describe, expect, it } from "vitest";
import type { McpServerTool } from "@/lib/client/mcp-tool-queries";
import {
  bulkReview,
  definitionDiff,
  filterTools,
  onlyReadOnlyInPlan,
  planModeWriters,
  sideBySide,
} from "./tools-tab-logic";

const tool = (name: string, over: Partial<McpServerTool> = {}): McpServerTool => ({
  name,
  description: `${name} things`,
  input_schema: { type: "object" },
  definition_hash: `sha256:${name.padEnd(64, "0")}`,
  approved_hash: `sha256:${name.padEnd(64, "0")}`,
  status: "active",
  rule: "enabled",
  plan_mode: false,
  new: true,
  first_seen_at: "2026-01-01T00:00:00.000Z",
  last_seen_at: "2026-01-01T00:00:00.000Z",
  ...over,
});

const read = tool("read", { annotations: { readOnlyHint: true } });
const write = tool("write", { annotations: { destructiveHint: true } });
const held = tool("held", { status: "changed" });
const gone = tool("gone", { status: "removed", plan_mode: true });

describe("the Tools tab's logic", () => {
  it("searches names, titles and descriptions", () => {
    expect(filterTools([read, write], " WRITE ").map((t) => t.name)).toEqual(["write"]);
    expect(filterTools([read, write], "").length).toBe(2);
  });

  it("never approves a changed definition in bulk", () => {
    const all = [read, write, held, gone];
    expect(bulkReview(all, "enable_all")).toBeNull();
    const disabled = [
      tool("a", { rule: "disabled" }),
      tool("b", { rule: "disabled", status: "changed" }),
    ];
    expect(bulkReview(disabled, "enable_all")?.approve.map((a) => a.name)).toEqual(["a"]);
    expect(bulkReview(all, "approval_for_writes")).toEqual({
      approve: [{ name: "write", hash: write.definition_hash }],
      rule: "approval",
    });
    expect(bulkReview(all, "read_only_in_plan")).toEqual({
      approve: [{ name: "read", hash: read.definition_hash }],
      plan_mode: true,
    });
  });

  it("names plan-mode tools that do not say they are read-only, and narrows to read-only", () => {
    const tools = [{ ...read, plan_mode: true }, { ...write, plan_mode: true }, gone];
    expect(planModeWriters(tools).map((t) => t.name)).toEqual(["write"]);
    expect(onlyReadOnlyInPlan(tools)).toEqual({
      approve: [{ name: "write", hash: write.definition_hash }],
      plan_mode: false,
    });
    expect(onlyReadOnlyInPlan([read])).toBeNull();
  });

  it("lays a changed definition out side by side", () => {
    expect(sideBySide("a\nb\nc", "a\nB\nc")).toEqual([
      { left: "a", right: "a", kind: "same" },
      { left: "b", right: "B", kind: "changed" },
      { left: "c", right: "c", kind: "same" },
    ]);
    expect(sideBySide("a", "a\nb")).toEqual([
      { left: "a", right: "a", kind: "same" },
      { right: "b", kind: "added" },
    ]);
    const sections = definitionDiff(
      tool("x", {
        status: "changed",
        description: "new words",
        previous: { description: "old words", input_schema: { type: "object" } },
      }),
    );
    expect(sections.find((s) => s.label === "Description")).toMatchObject({ changed: true });
    expect(sections.find((s) => s.label === "Input schema")).toMatchObject({ changed: false });
  });
});
