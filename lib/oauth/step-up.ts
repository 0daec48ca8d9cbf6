import "server-only";
// Step-up authorization (MCP authorization spec, "Scope challenge handling"): an MCP server
// answers a request whose token lacks a scope with `403` and
// `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`. The client then asks for
// a new authorization with the union of the scopes it already had and the ones challenged,
// and gives up when the challenge names nothing it has not asked for already (no loops).
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

import { bearerChallenge } from "./www-authenticate";

/** The most scope-widening authorizations one caller makes in a row for one server. */
export const MAX_STEP_UPS = 3;

/** Longest scope string a server may make toolgate ask for (a hostile server's bound). */
const MAX_SCOPE_LENGTH = 1_000;

const scopeList = (scope: string | null | undefined) => (scope ?? "").split(/\s+/).filter(Boolean);

/** The scopes of `current` followed by the new ones of `challenged`, each once. */
export function scopeUnion(current: string | null | undefined, challenged: string): string {
  return [...new Set([...scopeList(current), ...scopeList(challenged)])].join(" ");
}

/**
 * The scope to ask for next, or null when the challenge adds nothing to `current` (a new
 * authorization would not help) or would grow it past a sane length.
 */
export function stepUpScope(current: string | null | undefined, challenged: string): string | null {
  const next = scopeUnion(current, challenged);
  if (next === scopeList(current).join(" ") || next.length > MAX_SCOPE_LENGTH) return null;
  return next;
}

/**
 * A 403 `insufficient_scope` answer, with the scope the server asked for ("" when it named
 * none). A StreamableHTTPError with code 403, so everything that classifies MCP transport
 * failures treats it as the refusal it is.
 */
export class InsufficientScopeError extends StreamableHTTPError {
  override readonly name = "InsufficientScopeError";
  constructor(readonly scope: string) {
    super(403, "insufficient_scope");
  }
}

/** The InsufficientScopeError anywhere in an error's cause chain. */
export function insufficientScopeOf(error: unknown): InsufficientScopeError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; depth += 1) {
    if (e instanceof InsufficientScopeError) return e;
    e = e.cause;
  }
  return undefined;
}

type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * Wraps an MCP transport's fetch so a 403 `insufficient_scope` answer throws an
 * InsufficientScopeError carrying the challenged scope (the SDK's own error would lose it).
 */
export function detectInsufficientScope<F extends Fetch>(fetchFn: F): F {
  const wrapped = async (input: string | URL, init?: RequestInit) => {
    const response = await fetchFn(input, init);
    if (response.status !== 403) return response;
    const challenge = bearerChallenge(response.headers.get("www-authenticate"));
    if (challenge?.["error"] !== "insufficient_scope") return response;
    await response.body?.cancel().catch(() => {});
    throw new InsufficientScopeError(challenge["scope"] ?? "");
  };
  return wrapped as F;
}
