import "server-only";

import { jsonObject, oauthRequest, OAuthNetworkError, type OAuthHttpOptions } from "./http";
import {
  authorizationServerMetadataUrls,
  canonicalResource,
  parseAuthorizationServerMetadata,
  parseProtectedResourceMetadata,
  protectedResourceMetadataUrls,
  type AuthorizationServerMetadata,
  type ProtectedResourceMetadata,
} from "./metadata";
import { bearerChallenge } from "./www-authenticate";

export type DiscoveryStep =
  "protected_resource_metadata" | "authorization_server_metadata" | "registration";

const STEP_NAMES: Record<DiscoveryStep, string> = {
  protected_resource_metadata: "Protected resource metadata (RFC 9728)",
  authorization_server_metadata: "Authorization server metadata (RFC 8414)",
  registration: "Dynamic client registration (RFC 7591)",
};

/** A discovery step failed; the message says which step, which URL and what was wrong. */
export class OAuthDiscoveryError extends Error {
  override readonly name = "OAuthDiscoveryError";
  constructor(
    readonly step: DiscoveryStep,
    readonly url: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${STEP_NAMES[step]} failed at ${url}: ${problem.replace(/\.$/, "")}.`, options);
  }
}

export interface DiscoveredAuthorization {
  /** The RFC 8707 resource indicator to request tokens for. */
  resource: string;
  resourceMetadataUrl: string | null;
  /** Scopes to request: the 401 challenge's `scope`, else the resource's scopes_supported. */
  scopes: string[];
  metadata: AuthorizationServerMetadata;
  metadataUrl: string;
  /** Every authorization server the resource metadata names (none without metadata). */
  authorizationServers: string[];
}

interface Attempt {
  url: string;
  /** A document was served but was unusable (vs. simply not there). */
  served: boolean;
  problem: string;
  issuerMismatch?: boolean;
  /** The MCP server itself answered 401: it does want authorization. */
  challenged?: boolean;
}

function describe(attempts: Attempt[]): string {
  return attempts.map((a) => `${a.url} (${a.problem})`).join("; ");
}

async function getJson(
  url: string,
  options: OAuthHttpOptions,
): Promise<{ doc: Record<string, unknown> } | Attempt> {
  const res = await oauthRequest(
    url,
    // MCP-Protocol-Version lets servers that vary metadata by version answer (MCP spec).
    { headers: { accept: "application/json", "mcp-protocol-version": "2025-06-18" } },
    options,
  );
  if (res.status !== 200) return { url, served: false, problem: `HTTP ${res.status}` };
  const doc = jsonObject(res.text);
  if (!doc) return { url, served: true, problem: "the response is not a JSON object" };
  return { doc };
}

function networkFailure(step: DiscoveryStep, url: string, error: unknown): never {
  if (error instanceof OAuthNetworkError) {
    throw new OAuthDiscoveryError(step, url, error.message, { cause: error });
  }
  throw error;
}

async function fetchResourceMetadata(
  url: string,
  mcpUrl: string,
  options: OAuthHttpOptions,
): Promise<{ prm: ProtectedResourceMetadata } | Attempt> {
  let got: Awaited<ReturnType<typeof getJson>>;
  try {
    got = await getJson(url, options);
  } catch (error) {
    networkFailure("protected_resource_metadata", url, error);
  }
  if (!("doc" in got)) return got;
  const parsed = parseProtectedResourceMetadata(got.doc, mcpUrl);
  return parsed.ok ? { prm: parsed.value } : { url, served: true, problem: parsed.problem };
}

const PROBE_VERSION = "2025-06-18";

const rpc = (id: number, method: string, params?: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: "2.0", id, method, ...(params && { params }) });

interface Challenge {
  status: number;
  params: Record<string, string> | undefined;
}

/**
 * Asks the MCP server itself, unauthenticated, for its 401 challenge (RFC 9728 §5.1): its
 * `resource_metadata` names the metadata document and its `scope` the scopes to request.
 * Streamable HTTP: an `initialize`; a server that answers that without a challenge (it guards
 * only what follows the handshake, or takes no 2025 handshake at all) is asked for
 * `tools/list` too, in the session it opened if any: the first request of a member's
 * connection is where its challenge comes from.
 */
async function probeChallenge(
  mcpUrl: string,
  transport: "streamable_http" | "sse",
  options: OAuthHttpOptions,
): Promise<Challenge> {
  // A successful SSE GET would stream forever: a short timeout bounds it.
  const probeOptions = { ...options, timeoutMs: 5_000 };
  const ask = async (init: RequestInit): Promise<Challenge & { session: string | null }> => {
    let res;
    try {
      res = await oauthRequest(mcpUrl, init, probeOptions);
    } catch (error) {
      networkFailure("protected_resource_metadata", mcpUrl, error);
    }
    return {
      status: res.status,
      params: bearerChallenge(res.headers.get("www-authenticate")),
      session: res.headers.get("mcp-session-id"),
    };
  };
  if (transport === "sse") return ask({ headers: { accept: "text/event-stream" } });
  const headers = {
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
  };
  const first = await ask({
    method: "POST",
    headers,
    body: rpc(0, "initialize", {
      protocolVersion: PROBE_VERSION,
      capabilities: {},
      clientInfo: { name: "toolgate", version: "1.0.0" },
    }),
  });
  // 2xx: the handshake is open; 400: a server that does not take a 2025 handshake (a
  // 2026-07-28 one) but is there. Anything else (401/403 unexplained, 404, 5xx) is final.
  const open = (first.status >= 200 && first.status < 300) || first.status === 400;
  if (first.params !== undefined || !open) return first;
  const session = first.session !== null && first.session.length <= 256 ? first.session : null;
  const sessionHeaders = {
    ...headers,
    "mcp-protocol-version": PROBE_VERSION,
    ...(session !== null && { "mcp-session-id": session }),
  };
  try {
    const next = await ask({ method: "POST", headers: sessionHeaders, body: rpc(1, "tools/list") });
    return next.params !== undefined || next.status === 401 ? next : first;
  } catch (error) {
    if (error instanceof OAuthDiscoveryError) return first;
    throw error;
  } finally {
    // The session this probe opened is ended again (a courtesy; its answer does not matter).
    if (session !== null) {
      await oauthRequest(mcpUrl, { method: "DELETE", headers: sessionHeaders }, probeOptions).catch(
        () => undefined,
      );
    }
  }
}

/**
 * The `scope` of the server's 401 challenge, which the MCP scope selection strategy prefers
 * over `scopes_supported`. Best effort: the metadata was found, so a failed probe only means
 * falling back to `scopes_supported`.
 */
async function challengeScope(
  mcpUrl: string,
  transport: "streamable_http" | "sse",
  options: OAuthHttpOptions,
): Promise<string | undefined> {
  try {
    return (await probeChallenge(mcpUrl, transport, options)).params?.["scope"] || undefined;
  } catch (error) {
    if (error instanceof OAuthDiscoveryError) return undefined;
    throw error;
  }
}

async function findResourceMetadata(
  mcpUrl: string,
  transport: "streamable_http" | "sse",
  options: OAuthHttpOptions,
): Promise<{ prm: ProtectedResourceMetadata; url: string; scope?: string } | Attempt[]> {
  const attempts: Attempt[] = [];
  for (const url of protectedResourceMetadataUrls(new URL(mcpUrl))) {
    const got = await fetchResourceMetadata(url, mcpUrl, options);
    if ("prm" in got) {
      const scope = await challengeScope(mcpUrl, transport, options);
      return { prm: got.prm, url, ...(scope && { scope }) };
    }
    attempts.push(got);
  }
  const probe = await probeChallenge(mcpUrl, transport, options);
  const hint = probe.params?.["resource_metadata"];
  const scope = probe.params?.["scope"];
  if (hint) {
    const url = URL.parse(hint, mcpUrl);
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      attempts.push({ url: mcpUrl, served: true, problem: "its resource_metadata is not a URL" });
    } else {
      const got = await fetchResourceMetadata(url.href, mcpUrl, options);
      if ("prm" in got) return { prm: got.prm, url: url.href, ...(scope && { scope }) };
      attempts.push(got);
    }
  } else {
    attempts.push({
      url: mcpUrl,
      served: false,
      ...(probe.status === 401 && { challenged: true }),
      problem:
        probe.status === 401
          ? "HTTP 401 without a resource_metadata hint"
          : `HTTP ${probe.status}, no authorization challenge`,
    });
  }
  // A document that exists but is wrong is reported; only "nothing there" falls back to the
  // MCP origin as the authorization server (MCP authorization spec, 2025-03-26 servers).
  const broken = attempts.find((a) => a.served);
  if (broken)
    throw new OAuthDiscoveryError("protected_resource_metadata", broken.url, broken.problem);
  return attempts;
}

export async function fetchAuthorizationServerMetadata(
  issuer: string,
  options: OAuthHttpOptions & {
    /** Override the RFC 8414 / OIDC candidate URLs (e.g. OIDC Discovery only). */
    candidates?: string[];
    /** False when no authorization request will be made (refresh only). */
    requirePkce?: boolean;
    /** See parseAuthorizationServerMetadata: 2025-03-26 servers only. */
    issuerOrigin?: string;
  } = {},
): Promise<{ metadata: AuthorizationServerMetadata; url: string }> {
  const candidates = options.candidates ?? authorizationServerMetadataUrls(new URL(issuer));
  const attempts: Attempt[] = [];
  for (const url of candidates) {
    let got: Awaited<ReturnType<typeof getJson>>;
    try {
      got = await getJson(url, options);
    } catch (error) {
      networkFailure("authorization_server_metadata", url, error);
    }
    if (!("doc" in got)) {
      attempts.push(got);
      continue;
    }
    const parsed = parseAuthorizationServerMetadata(got.doc, issuer, {
      requirePkce: options.requirePkce ?? true,
      ...(options.issuerOrigin !== undefined && { issuerOrigin: options.issuerOrigin }),
    });
    if (parsed.ok) return { metadata: parsed.value, url };
    attempts.push({
      url,
      served: true,
      problem: parsed.problem,
      ...(parsed.issuerMismatch && { issuerMismatch: true }),
    });
  }
  // An issuer mismatch is the most important thing to report, then any broken document.
  const worst = attempts.find((a) => a.issuerMismatch) ?? attempts.find((a) => a.served);
  if (worst)
    throw new OAuthDiscoveryError("authorization_server_metadata", worst.url, worst.problem);
  throw new OAuthDiscoveryError(
    "authorization_server_metadata",
    issuer,
    `no metadata document was found for this issuer: ${describe(attempts)}`,
    { cause: NO_METADATA },
  );
}

/** The cause of the error above: nothing was served at all (vs. a broken document). */
const NO_METADATA = Symbol("no authorization server metadata");

/**
 * The 2025-03-26 MCP authorization specification's default endpoints, for a server that
 * publishes no metadata at all: /authorize, /token and /register at its origin. PKCE is still
 * used (toolgate always sends S256); the issuer recorded is the origin.
 */
function defaultEndpoints(origin: string): AuthorizationServerMetadata {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    registration_endpoint: `${origin}/register`,
  };
}

/**
 * The authorization server of a 2025-03-26 MCP server (one without resource metadata): its
 * origin is the authorization base URL. Its metadata document there may name an issuer on
 * that origin with a path; without any document, the default endpoints apply, but only to a
 * server that asked for authorization (a 401): any other server is more likely not an OAuth2
 * server at all, and is better told so than sent to register at a made-up /register.
 */
async function legacyAuthorizationServer(
  origin: string,
  options: OAuthHttpOptions,
  challenged: boolean,
): Promise<{ metadata: AuthorizationServerMetadata; url: string }> {
  try {
    return await fetchAuthorizationServerMetadata(origin, { ...options, issuerOrigin: origin });
  } catch (error) {
    if (challenged && error instanceof OAuthDiscoveryError && error.cause === NO_METADATA) {
      return { metadata: defaultEndpoints(origin), url: `${origin}/authorize` };
    }
    throw error;
  }
}

/**
 * Finds the authorization server protecting an MCP server: RFC 9728 metadata (path-aware,
 * root, then the 401 challenge's hint); its first authorization server and that server's
 * metadata (RFC 8414 / OIDC). When it names none or no document exists, the 2025-03-26 rules:
 * the MCP origin's own metadata, else its default endpoints.
 */
export async function discoverAuthorization(
  mcpUrl: string,
  transport: "streamable_http" | "sse",
  options: OAuthHttpOptions = {},
): Promise<DiscoveredAuthorization> {
  const result = await findResourceMetadata(mcpUrl, transport, options);
  const found = Array.isArray(result) ? undefined : result;
  const issuer = found?.prm.authorization_servers[0];
  let as: Awaited<ReturnType<typeof fetchAuthorizationServerMetadata>>;
  try {
    as =
      issuer !== undefined
        ? await fetchAuthorizationServerMetadata(issuer, options)
        : await legacyAuthorizationServer(
            new URL(mcpUrl).origin,
            options,
            Array.isArray(result) && result.some((a) => a.challenged === true),
          );
  } catch (error) {
    if (!(error instanceof OAuthDiscoveryError) || !Array.isArray(result)) throw error;
    // Both halves failed: say so, or the admin would only see the fallback's failure.
    throw new OAuthDiscoveryError(
      "protected_resource_metadata",
      mcpUrl,
      `the MCP server publishes no protected resource metadata (${describe(result)}), ` +
        `and the fallback to its origin as the authorization server failed too: ${error.message}`,
      { cause: error },
    );
  }
  const { metadata, url } = as;
  const scopes = (found?.scope ?? found?.prm.scopes_supported?.join(" ") ?? "")
    .split(/\s+/)
    .filter(Boolean);
  return {
    // RFC 8707 + MCP: the resource the metadata names (it covers the URL), else the URL itself.
    resource: found?.prm.resource ?? canonicalResource(mcpUrl),
    resourceMetadataUrl: found?.url ?? null,
    scopes,
    metadata,
    metadataUrl: url,
    authorizationServers: found?.prm.authorization_servers ?? [],
  };
}
