// Pure logic of the Tools tab: search, the bulk actions' targets, and the side-by-side diff
// of a changed definition. Tested in tools-tab-logic.test.ts.
import { diffLines } from "diff";
import type { McpServerTool, ToolReview } from "@/lib/client/mcp-tool-queries";

export function filterTools(tools: readonly McpServerTool[], search: string): McpServerTool[] {
  const q = search.trim().toLowerCase();
  if (!q) return [...tools];
  return tools.filter(
    (t) =>
      t.name.toLowerCase().includes(q) ||
      t.description.toLowerCase().includes(q) ||
      (t.title ?? "").toLowerCase().includes(q),
  );
}

/** Read-only by the server's own word (a hint, not a fact). */
export const saysReadOnly = (t: McpServerTool) => t.annotations?.readOnlyHint === true;

/**
 * Tools a bulk action may touch: listed and not waiting for review (a changed definition is
 * approved only through its diff, never in bulk).
 */
const reviewable = (tools: readonly McpServerTool[]) => tools.filter((t) => t.status === "active");

export type BulkAction = "enable_all" | "approval_for_writes" | "read_only_in_plan";

export const BULK_LABEL: Record<BulkAction, string> = {
  enable_all: "Enable all",
  approval_for_writes: "Require approval for all non-read-only",
  read_only_in_plan: "Allow read-only tools in plan mode",
};

/** The review request of a bulk action, or null when it would change nothing. */
export function bulkReview(tools: readonly McpServerTool[], action: BulkAction): ToolReview | null {
  const pool = reviewable(tools);
  const pick = (list: McpServerTool[], patch: Omit<ToolReview, "approve">): ToolReview | null =>
    list.length === 0
      ? null
      : { approve: list.map((t) => ({ name: t.name, hash: t.definition_hash })), ...patch };
  switch (action) {
    case "enable_all":
      return pick(
        pool.filter((t) => t.rule !== "enabled"),
        { rule: "enabled" },
      );
    case "approval_for_writes":
      return pick(
        pool.filter((t) => !saysReadOnly(t) && t.rule === "enabled"),
        {
          rule: "approval",
        },
      );
    case "read_only_in_plan":
      return pick(
        pool.filter((t) => saysReadOnly(t) && !t.plan_mode),
        { plan_mode: true },
      );
  }
}

/** Tools offered in plan mode that do not say they are read-only (shown as a warning). */
export function planModeWriters(tools: readonly McpServerTool[]): McpServerTool[] {
  return tools.filter((t) => t.status !== "removed" && t.plan_mode && !saysReadOnly(t));
}

/** Review request that leaves only read-only tools in plan mode. */
export function onlyReadOnlyInPlan(tools: readonly McpServerTool[]): ToolReview | null {
  const writers = reviewable(tools).filter((t) => t.plan_mode && !saysReadOnly(t));
  return writers.length === 0
    ? null
    : {
        approve: writers.map((t) => ({ name: t.name, hash: t.definition_hash })),
        plan_mode: false,
      };
}

export interface DiffRow {
  left?: string;
  right?: string;
  kind: "same" | "removed" | "added" | "changed";
}

const pretty = (value: unknown) => (value === undefined ? "" : JSON.stringify(value, null, 2));

/** Side-by-side rows of two texts: unchanged lines pair up, changed runs sit beside each other. */
export function sideBySide(before: string, after: string): DiffRow[] {
  const rows: DiffRow[] = [];
  // Both end in a newline, so a last line that gained a successor still pairs with itself.
  const parts = diffLines(`${before}\n`, `${after}\n`);
  const lines = (text: string) => text.replace(/\n$/, "").split("\n");
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i]!;
    if (!part.added && !part.removed) {
      for (const line of lines(part.value)) rows.push({ left: line, right: line, kind: "same" });
      continue;
    }
    if (part.removed && parts[i + 1]?.added) {
      const left = lines(part.value);
      const right = lines(parts[i + 1]!.value);
      for (let j = 0; j < Math.max(left.length, right.length); j += 1) {
        rows.push({ left: left[j], right: right[j], kind: "changed" });
      }
      i += 1;
      continue;
    }
    for (const line of lines(part.value)) {
      rows.push(part.removed ? { left: line, kind: "removed" } : { right: line, kind: "added" });
    }
  }
  return rows;
}

export interface DefinitionSection {
  label: string;
  rows: DiffRow[];
  changed: boolean;
}

/** The parts of a definition an admin compares: description, schemas, hints. */
export function definitionDiff(tool: McpServerTool): DefinitionSection[] {
  const before = tool.previous ?? {};
  const sections: Array<[string, unknown, unknown]> = [
    ["Title", before.title ?? "", tool.title ?? ""],
    ["Description", before.description ?? "", tool.description],
    ["Input schema", before.input_schema, tool.input_schema],
    ["Output schema", before.output_schema, tool.output_schema],
    ["Hints (annotations)", before.annotations, tool.annotations],
  ];
  return sections.map(([label, a, b]) => {
    const left = typeof a === "string" ? a : pretty(a);
    const right = typeof b === "string" ? b : pretty(b);
    return { label, rows: sideBySide(left, right), changed: left !== right };
  });
}
