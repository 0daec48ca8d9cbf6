// Connecting on the 2026-07-28 wire with the 2.x SDK (@modelcontextprotocol/client), for
// connectMcp (client.ts). The 2.x Client negotiates the era itself: `server/discover` first,
// the plain `initialize` handshake when the answer is not definitely modern. toolgate stops it
// at that point (the `initialize` it is about to send is the legacy verdict) and speaks to a
// legacy server with the 1.x SDK, as before. A remembered modern verdict (`prior`) connects
// with no round trip at all.
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
  type CacheEntry,
  type DiscoverResult,
  type FetchLike,
  type ResponseCacheStore,
} from "@modelcontextprotocol/client";

import { ELICITATION_CAPABILITY } from "@/lib/mcp/elicitation";
import { completeByDefault } from "@/lib/mcp/result-type";
import { modernSession, type McpSession } from "@/lib/mcp/session";
import { insufficientScopeOf } from "@/lib/oauth/step-up";

/** What connectMcp remembers of a server's era between connections (the pool keeps it). */
export type McpEraMemory = { era: "modern"; discover: DiscoverResult } | { era: "legacy" };

/**
 * The pool caches listings itself, per member and credentials, with its own lifetimes; the
 * SDK's cache would be a second copy with other rules. This store keeps nothing.
 */
const NO_RESPONSE_CACHE: ResponseCacheStore = {
  get: (): CacheEntry | undefined => undefined,
  set: () => 0,
  delete: () => undefined,
  evict: () => undefined,
  clear: () => undefined,
};

/** The page cap of the 2.x SDK's own listing walk (listAllTools caps the tools it keeps). */
const MAX_LIST_PAGES = 100;

class LegacyVerdict extends Error {
  override readonly name = "LegacyVerdict";
}

function hasMethod(body: unknown, method: string): boolean {
  if (typeof body !== "string") return false;
  try {
    const message = JSON.parse(body) as unknown;
    const messages = Array.isArray(message) ? message : [message];
    return messages.some((m) => (m as { method?: unknown } | null)?.method === method);
  } catch {
    return false;
  }
}

export interface ModernConnectOptions {
  url: URL;
  headers: Record<string, string>;
  /** toolgate's fetch chain (guarded fetch, response limits, insufficient-scope detection). */
  fetch: FetchLike;
  clientInfo: { name: string; version: string };
  /** The SDK's own timeout for the probe (connectMcp's timer is what really bounds it). */
  timeoutMs: number;
  /** A remembered modern verdict: adopted without a probe. */
  prior?: { era: "modern"; discover: DiscoverResult };
  /** Told of the transport as soon as it exists, so a timed-out connect can close it. */
  onTransport: (close: () => Promise<void>) => void;
}

export type ModernConnectResult =
  | {
      era: "modern";
      session: McpSession;
      discover: DiscoverResult;
      protocolVersion: string | undefined;
    }
  | { era: "legacy" };

export async function connectModern(options: ModernConnectOptions): Promise<ModernConnectResult> {
  let legacy = false;
  const fetchFn: FetchLike = async (input, init) => {
    if (hasMethod(init?.body, "initialize")) {
      legacy = true;
      throw new LegacyVerdict("the server is not on the 2026-07-28 wire");
    }
    const probe = hasMethod(init?.body, "server/discover");
    // A 2025 server behind an authorization layer may refuse a method it does not know with
    // 403 (plain or `insufficient_scope`) where the SDK takes 403 as final: such a server
    // gets its `initialize`, and a server that really refuses this client refuses that too
    // (classified, or stepped up, as before).
    let response: Response;
    try {
      response = await options.fetch(input, init);
    } catch (error) {
      if (!probe || insufficientScopeOf(error) === undefined) throw error;
      legacy = true;
      throw new LegacyVerdict("the server refused the probe", { cause: error });
    }
    if (response.status === 403 && probe) {
      await response.body?.cancel().catch(() => undefined);
      legacy = true;
      throw new LegacyVerdict("the server refused the probe");
    }
    // A tool result without `resultType` is complete (result-type.ts).
    if (hasMethod(init?.body, "tools/call")) return completeByDefault(response);
    return response;
  };
  const transport = new ModernTransport(options.url, {
    fetch: fetchFn,
    requestInit: { headers: options.headers },
    // Redirects within the server's origin only, each hop through fetchFn (and the guard).
    redirectPolicy: "same-origin",
  });
  options.onTransport(() => transport.close());
  const client = new ModernClient(options.clientInfo, {
    // A server may ask the member for input during a call: embedded in an input_required
    // result on this wire (not a request of its own, as on 2025-11-25).
    capabilities: { ...ELICITATION_CAPABILITY },
    versionNegotiation: { mode: "auto" },
    // input_required results come back to toolgate, which asks the member through its own
    // machinery and retries (input-required.ts), never through the SDK's handlers.
    inputRequired: { autoFulfill: false },
    responseCacheStore: NO_RESPONSE_CACHE,
    listMaxPages: MAX_LIST_PAGES,
  });
  try {
    await client.connect(transport, {
      timeout: options.timeoutMs,
      ...(options.prior !== undefined && {
        prior: { kind: "modern", discover: options.prior.discover },
      }),
    });
  } catch (error) {
    if (!legacy) throw error;
  }
  const discover = client.getDiscoverResult();
  if (legacy || client.getProtocolEra() !== "modern" || discover === undefined) {
    await client.close().catch(() => undefined);
    return { era: "legacy" };
  }
  return {
    era: "modern",
    session: modernSession(client),
    discover,
    protocolVersion: client.getNegotiatedProtocolVersion(),
  };
}
