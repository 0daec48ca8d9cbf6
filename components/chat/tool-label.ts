// How a tool call is named in the conversation. MCP servers with `model_intent` on make the model
// send `{model_intent, properties}`: the phrase is the label, the properties are the arguments.
import type { McpServerConfig } from "@/lib/client/types";

const capitalize = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** `docs__search_pages` → "Search pages": the `<slug>__` prefix goes, separators become spaces. */
export function humanizeToolName(name: string): string {
  const sep = name.indexOf("__");
  const bare = sep > 0 && sep + 2 < name.length ? name.slice(sep + 2) : name;
  const words = bare
    .replace(/[_\-.]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return capitalize(words) || name;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Splits a tool input into the model's intent phrase and the real arguments. Accepts the
 * wrapped shape, the flat one (`{model_intent, ...args}`, which models also produce) and
 * anything else unchanged. Works on partial input while it streams.
 */
export function splitModelIntent(input: unknown): { intent?: string; args: unknown } {
  if (!isRecord(input) || !("model_intent" in input)) return { args: input };
  const { model_intent: raw, ...rest } = input;
  const intent = typeof raw === "string" && raw.trim() ? capitalize(raw.trim()) : undefined;
  const keys = Object.keys(rest);
  if (keys.length === 1 && keys[0] === "properties" && isRecord(rest.properties)) {
    return { intent, args: rest.properties };
  }
  if (keys.length === 0) return { intent, args: {} };
  return { intent, args: rest };
}

/** The label of a tool call: the stored or streamed intent, else the humanized tool name. */
export function toolCallLabel(opts: { name: string; intent?: string; input?: unknown }): string {
  const intent = opts.intent?.trim() || splitModelIntent(opts.input).intent;
  return intent ? capitalize(intent) : humanizeToolName(opts.name);
}

/** The server a tool belongs to: by id when known, else by its exposed `<slug>__` prefix. */
export function findToolServer(
  servers: readonly McpServerConfig[],
  name: string,
  serverId?: string,
): McpServerConfig | undefined {
  if (serverId) {
    const byId = servers.find((s) => s.id === serverId);
    if (byId) return byId;
  }
  const sep = name.indexOf("__");
  if (sep <= 0) return undefined;
  const slug = name.slice(0, sep);
  return servers.find((s) => s.slug === slug);
}
