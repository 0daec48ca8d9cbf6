import "server-only";
// The pool's memory of failed connects and listings: a dead server costs its timeout once per
// TTL per instance, whoever asks. Keyed by the endpoint (transport, URL, and the credentials
// sent, hashed), never by the user or the chat: identity headers name who asks, they do not
// change whether the server answers. Different credentials (another user's token) get their
// own entry, since they may well change the answer.
import { createHash } from "node:crypto";

import type { McpErrorCode } from "./client";

type McpFailure = { code: McpErrorCode; message: string };

export interface FailureEndpoint {
  serverId: string;
  url: string;
  transport: string;
  headers: Record<string, string>;
  /** Names among `headers` that only identify the user or chat (X-Toolgate-*). */
  identityHeaders?: readonly string[];
}

/** The negative-cache key: transport, URL and a hash of the credential headers. */
export function mcpFailureKey(ep: FailureEndpoint): string {
  const identity = new Set((ep.identityHeaders ?? []).map((name) => name.toLowerCase()));
  const credentials = Object.entries(ep.headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => !identity.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash("sha256").update(JSON.stringify(credentials)).digest("hex");
  return JSON.stringify([ep.transport, ep.url, hash]);
}

interface Item {
  /** Servers whose failures this entry holds: a config change of any of them clears it. */
  serverIds: Set<string>;
  failure: McpFailure;
  expiresAt: number;
}

export class NegativeCache {
  private readonly items = new Map<string, Item>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.items.size;
  }

  remember(key: string, serverId: string, failure: McpFailure): void {
    if (failure.code === "mcp.cancelled" || this.ttlMs <= 0) return;
    const previous = this.items.get(key);
    this.items.delete(key);
    const serverIds = previous?.serverIds ?? new Set<string>();
    serverIds.add(serverId);
    this.items.set(key, { serverIds, failure, expiresAt: Date.now() + this.ttlMs });
    while (this.items.size > this.maxEntries) {
      const oldest = this.items.keys().next();
      if (oldest.done === true) break;
      this.items.delete(oldest.value);
    }
  }

  /** The remembered failure, or undefined once it expired. */
  get(key: string): McpFailure | undefined {
    const item = this.items.get(key);
    if (item === undefined) return undefined;
    if (item.expiresAt > Date.now()) return item.failure;
    this.items.delete(key);
    return undefined;
  }

  delete(key: string): void {
    this.items.delete(key);
  }

  forgetServer(serverId: string): void {
    for (const [key, item] of this.items) if (item.serverIds.has(serverId)) this.items.delete(key);
  }

  sweep(now = Date.now()): void {
    for (const [key, item] of this.items) if (item.expiresAt <= now) this.items.delete(key);
  }

  clear(): void {
    this.items.clear();
  }

  live(now = Date.now()): number {
    let n = 0;
    for (const item of this.items.values()) if (item.expiresAt > now) n++;
    return n;
  }
}
