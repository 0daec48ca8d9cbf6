import { createHash } from "node:crypto";

/**
 * The longest function name model providers accept (OpenAI and Anthropic both cap at 64,
 * with the character set `[a-zA-Z0-9_-]`). MCP allows 128, so long names must be shortened.
 */
export const MAX_EXPOSED_TOOL_NAME_LENGTH = 64;

const SEPARATOR = "__";
const SUFFIX_HASH_LENGTH = 6;
// 128 bits; past that a clash can only mean identical inputs, which the key separates.
const MAX_SUFFIX_HASH_LENGTH = 32;

export interface ExposedNameEntry {
  /** Identifies the tool to the caller; the returned map is keyed by it. Must be unique. */
  key: string;
  /** Usually the server slug. */
  prefix: string;
  /** The tool name as the MCP server reports it. */
  name: string;
}

// The `u` flag makes an astral character (emoji) one `_`, not two.
function sanitize(value: string): string {
  return value.replace(/[^a-zA-Z0-9_-]/gu, "_");
}

function hashHex(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0"), "utf8").digest("hex");
}

function withSuffix(base: string, hash: string, hashLength: number): string {
  const suffix = `_${hash.slice(0, hashLength)}`;
  return base.slice(0, MAX_EXPOSED_TOOL_NAME_LENGTH - suffix.length) + suffix;
}

function compareEntries(a: ExposedNameEntry, b: ExposedNameEntry): number {
  // Code-unit order, not localeCompare: the result must not depend on the server's locale.
  if (a.prefix !== b.prefix) return a.prefix < b.prefix ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return 0;
}

/**
 * The model-facing name of one tool: `<slug>__<tool>` restricted to `[a-zA-Z0-9_-]` and 64
 * characters, with a hash suffix when it had to be truncated. Use `assignExposedNames` for a
 * whole tool set: only it can see two tools that sanitize to the same name.
 */
export function exposedToolName(serverSlug: string, toolName: string): string {
  const full = sanitize(serverSlug + SEPARATOR + toolName);
  if (full.length <= MAX_EXPOSED_TOOL_NAME_LENGTH) return full;
  return withSuffix(full, hashHex(serverSlug, toolName), SUFFIX_HASH_LENGTH);
}

/**
 * Unique, deterministic model-facing names for a tool set. A name that fits and is not shared
 * stays as `exposedToolName` gives it. Every name that was truncated, and every name that
 * collides with another after sanitizing, gets `_<sha256(prefix \0 name)>` (6 hex, more if
 * still taken): all parties of a clash are renamed, so none silently keeps the plain name
 * and shadows the others. The result depends only on the set of entries, not on their order.
 */
export function assignExposedNames(entries: readonly ExposedNameEntry[]): Map<string, string> {
  const sorted = [...entries].sort(compareEntries);
  const fullNames = new Map<string, string>();
  const fullNameCounts = new Map<string, number>();
  for (const entry of sorted) {
    if (fullNames.has(entry.key)) throw new Error(`Duplicate tool key: ${entry.key}`);
    const full = sanitize(entry.prefix + SEPARATOR + entry.name);
    fullNames.set(entry.key, full);
    fullNameCounts.set(full, (fullNameCounts.get(full) ?? 0) + 1);
  }

  const result = new Map<string, string>();
  const taken = new Set<string>();
  const needSuffix: ExposedNameEntry[] = [];
  // Plain names first, so a suffixed name can never take one that a tool owns outright.
  for (const entry of sorted) {
    const full = fullNames.get(entry.key) ?? "";
    if (full.length <= MAX_EXPOSED_TOOL_NAME_LENGTH && fullNameCounts.get(full) === 1) {
      result.set(entry.key, full);
      taken.add(full);
    } else {
      needSuffix.push(entry);
    }
  }

  for (const entry of needSuffix) {
    const full = fullNames.get(entry.key) ?? "";
    const name =
      firstFree(full, hashHex(entry.prefix, entry.name), taken) ??
      // Only reached when two entries share prefix and name (or sha256 collides): the key,
      // unique by contract, separates them.
      firstFree(full, hashHex(entry.prefix, entry.name, entry.key), taken);
    if (name === undefined) throw new Error(`Cannot assign a unique name to tool ${entry.key}`);
    result.set(entry.key, name);
    taken.add(name);
  }
  return result;
}

function firstFree(full: string, hash: string, taken: ReadonlySet<string>): string | undefined {
  for (let length = SUFFIX_HASH_LENGTH; length <= MAX_SUFFIX_HASH_LENGTH; length += 2) {
    const candidate = withSuffix(full, hash, length);
    if (!taken.has(candidate)) return candidate;
  }
  return undefined;
}
