import "server-only";

import { promises as dnsPromises } from "node:dns";
import type { LookupAddress, LookupOptions } from "node:dns";
import { isIP } from "node:net";
import type { LookupFunction } from "node:net";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import type { Dispatcher } from "undici";

import {
  EMPTY_ALLOWLIST,
  evaluateAddress,
  parseAllowlist,
  type AddressCategory,
  type AddressDecision,
  type EgressAllowlist,
} from "@/lib/net/address-policy";

export const EGRESS_DESTINATION_NOT_ALLOWED = "egress.destination_not_allowed";
export const EGRESS_REDIRECT_NOT_ALLOWED = "egress.redirect_not_allowed";

export type EgressErrorCode =
  typeof EGRESS_DESTINATION_NOT_ALLOWED | typeof EGRESS_REDIRECT_NOT_ALLOWED;

export interface EgressErrorDetails {
  /** Host name (or literal address) being dialled; never a full URL. */
  host?: string;
  /** The resolved address that was refused. */
  address?: string;
  category?: AddressCategory | "invalid";
}

/**
 * A refused outbound request. Messages and fields name hosts and origins only:
 * paths and queries (OAuth codes, tokens) and header values never appear.
 */
export class EgressError extends Error {
  override readonly name = "EgressError";
  readonly code: EgressErrorCode;
  readonly host: string | undefined;
  readonly address: string | undefined;
  readonly category: AddressCategory | "invalid" | undefined;

  constructor(code: EgressErrorCode, message: string, details: EgressErrorDetails = {}) {
    super(message);
    this.code = code;
    this.host = details.host;
    this.address = details.address;
    this.category = details.category;
  }
}

/**
 * Finds an EgressError in an error's cause chain: undici's fetch wraps connect
 * failures in TypeError("fetch failed"), and callers such as the MCP SDK may wrap again.
 */
export function findEgressError(error: unknown): EgressError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current != null; depth += 1) {
    if (current instanceof EgressError) return current;
    current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
  }
  return undefined;
}

function destinationRefused(host: string, decision: AddressDecision & { allowed: false }) {
  const shown = host === decision.address ? host : `${host} (${decision.address})`;
  return new EgressError(
    EGRESS_DESTINATION_NOT_ALLOWED,
    `Egress to ${shown} refused: ${decision.reason}`,
    { host, address: decision.address, category: decision.category },
  );
}

// ---------------------------------------------------------------------------
// Dispatcher

export type EgressResolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export type AllowlistInput = string | readonly string[] | EgressAllowlist;

export interface EgressDispatcherOptions {
  /** Defaults to the parsed EGRESS_ALLOWLIST. */
  allowlist?: AllowlistInput;
  /** Covers DNS resolution and the TCP/TLS handshake. Default 10 s. */
  connectTimeoutMs?: number;
  /** Replaces dns.lookup; meant for tests. */
  lookup?: EgressResolver;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const systemResolver: EgressResolver = (hostname) => dnsPromises.lookup(hostname, { all: true });

function toAllowlist(input: AllowlistInput | undefined, source: string): EgressAllowlist {
  if (input === undefined) return getEgressAllowlist();
  if (typeof input !== "string" && !Array.isArray(input)) return input as EgressAllowlist;
  const parsed = parseAllowlist(input as string | readonly string[]);
  if (!parsed.ok) throw new Error(`${source}: ${parsed.message}`);
  return parsed.allowlist;
}

function wantedFamily(family: LookupOptions["family"]): 4 | 6 | undefined {
  if (family === 4 || family === "IPv4") return 4;
  if (family === 6 || family === "IPv6") return 6;
  return undefined;
}

/**
 * A net.connect lookup that judges every address the name resolves to and
 * hands the socket only those same addresses, so there is no second resolution
 * for a rebinding DNS server to answer differently.
 */
function createGuardedLookup(resolve: EgressResolver, allowlist: EgressAllowlist): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        // Refuse if any answer is disallowed, not just the one Node would try
        // first: happy-eyeballs may fall through to a later one.
        for (const { address } of addresses) {
          const decision = evaluateAddress(address, hostname, allowlist);
          if (!decision.allowed) {
            callback(destinationRefused(hostname, decision), "");
            return;
          }
        }
        const family = wantedFamily(options.family);
        const usable =
          family === undefined ? addresses : addresses.filter((a) => a.family === family);
        const first = usable[0];
        if (first === undefined) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = "ENOTFOUND";
          callback(error, "");
          return;
        }
        if (options.all) callback(null, [...usable]);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
}

/**
 * An undici Agent that refuses, at connect time, any destination the address
 * policy does not allow. Pass it as `dispatcher` to undici calls; Node's global
 * fetch ignores http.Agent, so this is the only hook that sees every socket.
 */
export function createEgressDispatcher(options: EgressDispatcherOptions = {}): Agent {
  const allowlist = toAllowlist(options.allowlist, "egress allowlist");
  const lookup = createGuardedLookup(options.lookup ?? systemResolver, allowlist);
  const connectBase = buildConnector({
    timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    lookup,
  });
  const connect: buildConnector.connector = (connectOptions, callback) => {
    // net.connect skips lookup for a literal address, so judge it here.
    const host = connectOptions.hostname;
    if (isIP(host) !== 0) {
      const decision = evaluateAddress(host, host, allowlist);
      if (!decision.allowed) {
        callback(destinationRefused(host, decision), null);
        return;
      }
    }
    connectBase(connectOptions, callback);
  };
  return new Agent({ connect });
}

// ---------------------------------------------------------------------------
// Guarded fetch

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];
// Dropped with the body when a redirect turns the request into a GET (fetch spec).
const REQUEST_BODY_HEADERS = [
  "content-encoding",
  "content-language",
  "content-location",
  "content-type",
  "content-length",
];

export type GuardedFetchOptions = EgressDispatcherOptions & {
  /** Extra header names (such as an API-key header) that count as credentials. */
  credentialHeaders?: readonly string[];
};

export type GuardedFetch = typeof fetch & {
  /** The dispatcher behind this fetch; close it when the fetch is no longer needed. */
  readonly dispatcher: Agent;
};

function originOf(url: URL): string {
  return url.origin;
}

async function discardBody(response: { body: { cancel(): Promise<void> } | null }) {
  try {
    await response.body?.cancel();
  } catch {
    // The redirect body is unwanted; failing to cancel only costs the socket.
  }
}

type UndiciResponse = Awaited<ReturnType<typeof undiciFetch>>;

/**
 * Re-wraps undici's Response in the global class without buffering: the
 * bundled and the npm undici have distinct classes, and OAuth libraries check
 * `instanceof Response`. The body stream is handed over as is.
 */
function toGlobalResponse(response: UndiciResponse, redirected: boolean): Response {
  const wrapped = new Response(response.body as ReadableStream<Uint8Array> | null, {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
  });
  // The constructor cannot set these; keep what a fetch Response would report.
  Object.defineProperties(wrapped, {
    url: { value: response.url, enumerable: true },
    redirected: { value: redirected, enumerable: true },
  });
  return wrapped;
}

function buildGuardedFetch(
  getDispatcher: () => Dispatcher,
  credentialHeaders: readonly string[] | undefined,
): typeof fetch {
  const credentialNames = [
    ...DEFAULT_CREDENTIAL_HEADERS,
    ...(credentialHeaders ?? []).map((name) => name.trim().toLowerCase()),
  ];

  return async function guardedFetch(input, init) {
    // Normalise through the global Request so a global Request, Headers,
    // FormData or URLSearchParams works: undici's own classes do not recognise
    // the copies bundled into Node. The body is buffered so 307/308 can resend it.
    const request = new Request(input, init);
    const signal = request.signal;
    const redirectMode = request.redirect;
    const headers = new Headers(request.headers);
    let method = request.method;
    let body: Uint8Array | null =
      request.body === null ? null : new Uint8Array(await request.arrayBuffer());
    let url = new URL(request.url);
    const dispatcher = getDispatcher();

    for (let redirects = 0; ; redirects += 1) {
      signal.throwIfAborted();
      let response: UndiciResponse;
      try {
        response = await undiciFetch(url, {
          method,
          headers: [...headers],
          body,
          signal,
          redirect: "manual",
          dispatcher,
        });
      } catch (error) {
        throw findEgressError(error) ?? error;
      }

      const location = REDIRECT_STATUSES.has(response.status)
        ? response.headers.get("location")
        : null;
      if (location === null || redirectMode === "manual") {
        return toGlobalResponse(response, redirects > 0);
      }
      await discardBody(response);
      if (redirectMode === "error") {
        throw new TypeError(`fetch failed: ${originOf(url)} redirected and redirect is "error"`);
      }

      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new EgressError(
          EGRESS_REDIRECT_NOT_ALLOWED,
          `Redirect from ${originOf(url)} has an invalid Location`,
          { host: url.hostname },
        );
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new EgressError(
          EGRESS_REDIRECT_NOT_ALLOWED,
          `Too many redirects (more than ${MAX_REDIRECTS}) from ${originOf(new URL(request.url))}`,
          { host: url.hostname },
        );
      }
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        throw new EgressError(
          EGRESS_REDIRECT_NOT_ALLOWED,
          `Redirect from ${originOf(url)} to a ${next.protocol} URL refused`,
          { host: url.hostname },
        );
      }
      if (next.username !== "" || next.password !== "") {
        throw new EgressError(
          EGRESS_REDIRECT_NOT_ALLOWED,
          `Redirect from ${originOf(url)} to a URL with credentials refused`,
          { host: next.hostname },
        );
      }
      if (originOf(next) !== originOf(url)) {
        const carried = credentialNames.find((name) => headers.has(name));
        if (carried !== undefined) {
          // Refuse rather than strip: a silently unauthenticated request to
          // another origin would fail in a more confusing way.
          throw new EgressError(
            EGRESS_REDIRECT_NOT_ALLOWED,
            `Cross-origin redirect from ${originOf(url)} to ${originOf(next)} refused: the request carries credentials (${carried})`,
            { host: next.hostname },
          );
        }
      }

      const status = response.status;
      if (
        (status === 303 && method !== "GET" && method !== "HEAD") ||
        ((status === 301 || status === 302) && method === "POST")
      ) {
        method = "GET";
        body = null;
        for (const name of REQUEST_BODY_HEADERS) headers.delete(name);
      }
      url = next;
    }
  };
}

/**
 * A standard fetch for MCP transports and OAuth calls: undici's fetch over an
 * egress dispatcher, following at most 5 redirects itself so every hop is
 * dialled through the guard and credentials never cross origins.
 */
export function createGuardedFetch(options: GuardedFetchOptions = {}): GuardedFetch {
  const dispatcher = createEgressDispatcher(options);
  const guarded = buildGuardedFetch(() => dispatcher, options.credentialHeaders);
  return Object.assign(guarded, { dispatcher });
}

// ---------------------------------------------------------------------------
// Process-wide defaults from EGRESS_ALLOWLIST

let allowlistCache: { raw: string; allowlist: EgressAllowlist } | undefined;
let dispatcherCache: { raw: string; dispatcher: Agent } | undefined;
let defaultFetch: typeof fetch | undefined;

/** The parsed EGRESS_ALLOWLIST; throws naming the bad entries when it is invalid. */
export function getEgressAllowlist(): EgressAllowlist {
  const raw = process.env.EGRESS_ALLOWLIST ?? "";
  if (allowlistCache?.raw !== raw) {
    const parsed = parseAllowlist(raw);
    if (!parsed.ok) throw new Error(`EGRESS_ALLOWLIST: ${parsed.message}`);
    allowlistCache = { raw, allowlist: raw.trim() === "" ? EMPTY_ALLOWLIST : parsed.allowlist };
  }
  return allowlistCache.allowlist;
}

/** A shared dispatcher for the current EGRESS_ALLOWLIST, rebuilt when the variable changes. */
export function getDefaultEgressDispatcher(): Agent {
  const raw = process.env.EGRESS_ALLOWLIST ?? "";
  if (dispatcherCache?.raw !== raw) {
    // The previous agent is not closed: a caller may still hold it for a
    // long-lived SSE stream, and its idle sockets expire on their own.
    dispatcherCache = {
      raw,
      dispatcher: createEgressDispatcher({ allowlist: getEgressAllowlist() }),
    };
  }
  return dispatcherCache.dispatcher;
}

/**
 * The guarded fetch over the shared dispatcher. Pass credentialHeaders when the
 * request carries a custom credential header (an API key) so it is not sent to
 * another origin on a redirect.
 */
export function getDefaultGuardedFetch(
  options: { credentialHeaders?: readonly string[] } = {},
): typeof fetch {
  if (options.credentialHeaders !== undefined && options.credentialHeaders.length > 0) {
    return buildGuardedFetch(getDefaultEgressDispatcher, options.credentialHeaders);
  }
  defaultFetch ??= buildGuardedFetch(getDefaultEgressDispatcher, undefined);
  return defaultFetch;
}
