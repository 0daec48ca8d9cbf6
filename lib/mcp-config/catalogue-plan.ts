// What a tools/list means for a server's tool catalogue, as a list of steps. Pure: the caller
// (catalogue-sync.ts) applies them in a transaction. An empty plan means nothing to write,
// which is the common case on a warm turn: the listed objects are the pool's cached ones, so
// their hashes come from a WeakMap and each tool costs a map lookup and a string compare.
//
// Rules (README, "Tool governance"):
// - first seen: rule = the server's tool_default, status active, definition pinned, plan mode
//   as plan_mode_tools says (null = every tool), marked new;
// - a listed definition that differs from the stored one: on a pinned server the tool is held
//   (`changed`, the approved definition kept beside it); with pinning off it is accepted at
//   once (approved_hash follows);
// - a held tool listed again with its approved definition stays held on a server whose
//   listing differs per user (one user's view must not release a tool held for another's),
//   and is released on a shared one;
// - a tool missing from a listing is `removed` only when the listing may remove
//   (`mayRemove`: complete, and shared by all users or made by an admin on purpose);
// - a removed tool listed again comes back: active when its definition is the approved one
//   (or pinning is off), held as changed otherwise.
import type { ToolRule } from "@/db/enums";
import type { CatalogueEntry } from "@/db/queries/mcp-tools";
import {
  hashedDefinition,
  type ListedToolLike,
  type ToolDefinition,
} from "@/lib/mcp/tool-definition";

/** last_seen_at is refreshed at most this often, so a warm turn writes nothing. */
export const LAST_SEEN_REFRESH_MS = 60 * 60_000;

export interface PlanOptions {
  pin: boolean;
  toolDefault: ToolRule;
  planModeTools: readonly string[] | null;
  /** The listing is complete and may mark missing tools removed. */
  mayRemove: boolean;
  /** Every user sees the same listing (no per-user credentials or identity headers). */
  shared: boolean;
  now: number;
}

interface Listed {
  name: string;
  definition: ToolDefinition;
  hash: string;
}

export type CatalogueStep =
  | ({ kind: "add"; rule: ToolRule; planMode: boolean } & Listed)
  /** Pinned and different from the approved definition: held. */
  | ({ kind: "hold" } & Listed)
  /** Pinning off: the new definition is approved at once. */
  | ({ kind: "accept" } & Listed)
  /** Listed again with the approved definition: active again. */
  | ({ kind: "release" } & Listed)
  | { kind: "remove"; name: string }
  | { kind: "seen"; names: string[] };

export function planCatalogue(
  known: ReadonlyMap<string, CatalogueEntry> | undefined,
  tools: readonly ListedToolLike[],
  opts: PlanOptions,
): CatalogueStep[] {
  const steps: CatalogueStep[] = [];
  const seen: string[] = [];
  const staleBefore = opts.now - LAST_SEEN_REFRESH_MS;
  const listedNames = opts.mayRemove ? new Set<string>() : undefined;
  for (const tool of tools) {
    listedNames?.add(tool.name);
    const { definition, hash } = hashedDefinition(tool);
    const listed = { name: tool.name, definition, hash };
    const entry = known?.get(tool.name);
    if (!entry) {
      steps.push({
        kind: "add",
        ...listed,
        rule: opts.toolDefault,
        planMode: opts.planModeTools === null || opts.planModeTools.includes(tool.name),
      });
      continue;
    }
    if (entry.status === "active" && entry.definitionHash === hash) {
      if (entry.lastSeenAt.getTime() < staleBefore) seen.push(tool.name);
      continue;
    }
    if (entry.status === "changed") {
      if (hash === entry.approvedHash) {
        if (opts.shared || !opts.pin) steps.push({ kind: "release", ...listed });
        continue;
      }
      if (!opts.pin) steps.push({ kind: "accept", ...listed });
      else if (hash !== entry.definitionHash) steps.push({ kind: "hold", ...listed });
      continue;
    }
    // Active with another definition, or removed and listed again.
    if (hash === entry.approvedHash) steps.push({ kind: "release", ...listed });
    else steps.push({ kind: opts.pin ? "hold" : "accept", ...listed });
  }
  if (listedNames && known) {
    for (const [name, entry] of known) {
      if (entry.status !== "removed" && !listedNames.has(name))
        steps.push({ kind: "remove", name });
    }
  }
  if (seen.length > 0) steps.push({ kind: "seen", names: seen });
  return steps;
}
