import "server-only";

import { httpUrl, stringArray } from "./http";

/** What toolgate reads from RFC 8414 / OpenID Connect Discovery metadata. */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint?: string;
  revocation_endpoint?: string;
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  scopes_supported?: string[];
  /** RFC 9207 §3. */
  authorization_response_iss_parameter_supported?: boolean;
  /** OAuth Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document). */
  client_id_metadata_document_supported?: boolean;
}

/** RFC 9728 §2. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
}

/**
 * Inserts a well-known suffix between host and path (RFC 8414 §3.1, RFC 9728 §3.1): a path of
 * just "/" counts as no path; any other path, trailing slash included, is kept verbatim.
 */
export function wellKnownUrl(identifier: URL, suffix: string, pathAware: boolean): string {
  const path = identifier.pathname === "/" ? "" : identifier.pathname;
  return `${identifier.origin}/.well-known/${suffix}${pathAware ? path : ""}${identifier.search}`;
}

/** RFC 9728 §3.1: path-aware first, then the root document. */
export function protectedResourceMetadataUrls(resource: URL): string[] {
  const pathAware = wellKnownUrl(resource, "oauth-protected-resource", true);
  const root = wellKnownUrl(new URL(resource.origin), "oauth-protected-resource", false);
  return pathAware === root ? [root] : [pathAware, root];
}

/**
 * Where an authorization server's metadata may live, in the order the MCP authorization
 * specification (2025-11-25) tries them. Without a path: RFC 8414, then OpenID Connect
 * Discovery. With a path: RFC 8414 with the path inserted, OIDC Discovery with the path
 * inserted, then appended (OIDC Discovery §4). The root RFC 8414 document is never asked for
 * an issuer with a path: it belongs to another issuer (RFC 8414 §3.1).
 */
export function authorizationServerMetadataUrls(issuer: URL): string[] {
  const hasPath = issuer.pathname !== "/" && issuer.pathname !== "";
  const urls = [wellKnownUrl(issuer, "oauth-authorization-server", true)];
  if (hasPath) {
    urls.push(wellKnownUrl(issuer, "openid-configuration", true));
    urls.push(`${issuer.href.replace(/\/+$/, "")}/.well-known/openid-configuration`);
  } else {
    urls.push(wellKnownUrl(issuer, "openid-configuration", false));
  }
  return [...new Set(urls)];
}

/**
 * The canonical URI of an MCP server as an RFC 8707 resource indicator: no fragment, scheme
 * and host lower-cased, default port dropped (URL does these); a bare "/" path is dropped, as
 * the MCP specification prefers the form without a trailing slash. Other paths stay as given.
 */
export function canonicalResource(mcpUrl: string): string {
  const url = new URL(mcpUrl);
  url.hash = "";
  if (url.pathname === "/" && url.search === "") return url.origin;
  return url.href;
}

/**
 * Two issuer identifiers are the same only when they are the same string: RFC 8414 §3.3 and
 * RFC 9207 §2.4 ask for simple string comparison, with no URL normalisation (no trailing
 * slash, case or default-port folding), so `https://as/` is not `https://as`.
 */
export function sameIssuer(a: string, b: string): boolean {
  return a === b;
}

/**
 * Whether the resource a metadata document names covers the MCP server URL: same origin and
 * a path that is the server's path or a parent of it. RFC 9728 §3.3 asks for identity with the
 * resource the document was fetched for; the root document serves every path of the origin,
 * so a parent is accepted (as the MCP SDK does) and anything else is refused.
 */
export function resourceCovers(resource: string, mcpUrl: string): boolean {
  const r = URL.parse(resource);
  const m = URL.parse(mcpUrl);
  if (!r || !m || r.origin !== m.origin || r.hash) return false;
  const rp = r.pathname.replace(/\/+$/, "");
  const mp = m.pathname.replace(/\/+$/, "");
  return rp === "" || mp === rp || mp.startsWith(`${rp}/`);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export function parseProtectedResourceMetadata(
  doc: Record<string, unknown>,
  mcpUrl: string,
): Parsed<ProtectedResourceMetadata> {
  const resource = doc["resource"];
  if (typeof resource !== "string" || !httpUrl(resource)) {
    return { ok: false, problem: "it has no valid `resource` (RFC 9728 §2)" };
  }
  if (!resourceCovers(resource, mcpUrl)) {
    return {
      ok: false,
      problem: `it describes the resource ${resource}, not the MCP server ${mcpUrl} (RFC 9728 §3.3)`,
    };
  }
  const servers = doc["authorization_servers"];
  const list = servers === undefined ? [] : stringArray(servers);
  if (!list) return { ok: false, problem: "`authorization_servers` is not a list of URLs" };
  const bad = list.find((s) => !httpUrl(s) || URL.parse(s)!.search !== "");
  if (bad !== undefined) {
    return { ok: false, problem: `authorization server "${bad}" is not an http(s) issuer URL` };
  }
  const scopes = stringArray(doc["scopes_supported"]);
  return {
    ok: true,
    value: {
      resource,
      authorization_servers: list,
      ...(scopes && { scopes_supported: scopes }),
    },
  };
}

const ENDPOINTS = [
  "authorization_endpoint",
  "token_endpoint",
  "registration_endpoint",
  "revocation_endpoint",
] as const;

export function parseAuthorizationServerMetadata(
  doc: Record<string, unknown>,
  expectedIssuer: string,
  opts: {
    requirePkce?: boolean;
    /**
     * 2025-03-26 servers (no resource metadata): the MCP server's own origin is the
     * authorization base URL, and a document it serves there may name any issuer on that
     * origin (e.g. `https://mcp.example.com/oauth`), as that origin controls both.
     */
    issuerOrigin?: string;
  } = {},
): Parsed<AuthorizationServerMetadata> & { issuerMismatch?: boolean } {
  const issuer = doc["issuer"];
  if (typeof issuer !== "string" || issuer === "") {
    return { ok: false, problem: "it has no `issuer` (RFC 8414 §2)" };
  }
  const sameOrigin =
    opts.issuerOrigin !== undefined && URL.parse(issuer)?.origin === opts.issuerOrigin;
  // RFC 8414 §3.3 / OIDC Discovery §4.3: a document naming another issuer may be an attempt
  // to impersonate an authorization server; it must not be used.
  if (!sameIssuer(issuer, expectedIssuer) && !sameOrigin) {
    return {
      ok: false,
      issuerMismatch: true,
      problem: `it names the issuer ${issuer}, but it was fetched for the issuer ${expectedIssuer} (RFC 8414 §3.3)`,
    };
  }
  const value: Record<string, unknown> = { issuer };
  for (const name of ENDPOINTS) {
    const raw = doc[name];
    if (raw === undefined || raw === null) continue;
    if (!httpUrl(raw)) return { ok: false, problem: `\`${name}\` is not an http(s) URL` };
    value[name] = raw;
  }
  const missing = (["authorization_endpoint", "token_endpoint"] as const).filter(
    (name) => value[name] === undefined,
  );
  if (missing.length > 0) {
    return { ok: false, problem: `it has no ${missing.map((n) => `\`${n}\``).join(" or ")}` };
  }
  for (const name of [
    "code_challenge_methods_supported",
    "token_endpoint_auth_methods_supported",
    "scopes_supported",
  ] as const) {
    const list = stringArray(doc[name]);
    if (list) value[name] = list;
  }
  // The MCP authorization specification: without advertised S256 support a client must
  // refuse to proceed, since PKCE cannot be relied on (RFC 7636 §4.2, RFC 9700 §2.1.1).
  const methods = value["code_challenge_methods_supported"] as string[] | undefined;
  if (opts.requirePkce !== false && !methods?.includes("S256")) {
    return {
      ok: false,
      problem: "it does not advertise PKCE S256 in `code_challenge_methods_supported`",
    };
  }
  for (const flag of [
    "authorization_response_iss_parameter_supported",
    "client_id_metadata_document_supported",
  ] as const) {
    if (doc[flag] === true) value[flag] = true;
  }
  return { ok: true, value: value as unknown as AuthorizationServerMetadata };
}
