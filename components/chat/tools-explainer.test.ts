import { describe, expect, it } from "vitest";
import type { ChatToolRow } from "@/lib/client/types";
import { matchTools, toolDisplayName, toolSections } from "./tools-explainer";

const row = (name: string, extra: Partial<ChatToolRow> = {}): ChatToolRow => ({
  name,
  source: "builtin",
  available: true,
  reason: "allowed",
  ...extra,
});

describe("toolDisplayName", () => {
  it.each([
    ["docs__search_pages", "Search pages", false],
    ["docs__*", "All tools", false],
    ["read_file", "Read file", false],
    [
      // 64 characters with the hash suffix lib/mcp adds to a cut name.
      `wiki__${"get_page_revision_history_with_".padEnd(51, "x")}_a1b2c3`,
      `${"Get page revision history with ".padEnd(51, "x")}…`,
      true,
    ],
    // A short name that merely ends in hex is left alone.
    ["db__drop_cafe12", "Drop cafe12", false],
  ])("%s", (name, label, shortened) => {
    expect(toolDisplayName(name)).toEqual({ label, shortened });
  });
});

describe("matchTools", () => {
  const rows = [
    row("read_file"),
    row("spawn_agent"),
    row("docs__search_pages", { source: "mcp", server_id: "s1" }),
  ];
  it.each([
    ["", ["read_file", "spawn_agent", "docs__search_pages"]],
    ["file", ["read_file"]],
    ["search pages", ["docs__search_pages"]],
    // Built-ins are found by their description too.
    ["delegated", ["spawn_agent"]],
    ["nope", []],
  ])("%j", (query, names) => {
    expect(matchTools(rows, query).map((r) => r.name)).toEqual(names);
  });
});

describe("toolSections", () => {
  it("puts servers with an available tool first and groups the built-ins in a fixed order", () => {
    const rows = [
      row("spawn_agent"),
      row("read_file", { available: false, reason: "builtin_not_in_plan_mode" }),
      row("write_file"),
      row("zz__a", { source: "mcp", server_id: "z", available: false }),
      row("aa__a", { source: "mcp", server_id: "a", available: false }),
      row("mm__a", { source: "mcp", server_id: "m" }),
      row("local", { source: "workspace_mcp" }),
    ];
    const names: Record<string, string> = { a: "Alpha", m: "Mike", z: "Zulu", workspace: "W" };
    const sections = toolSections(rows, (id) => names[id] ?? id);
    expect(sections.servers.map((s) => s.id)).toEqual(["m", "workspace", "a", "z"]);
    expect(sections.builtins.map((g) => g.id)).toEqual(["workspace", "agents"]);
    expect(sections.builtins[0]!.rows.map((r) => r.name)).toEqual(["write_file", "read_file"]);
  });
});
