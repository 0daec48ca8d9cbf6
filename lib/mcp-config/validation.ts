import { ApiError, type FieldProblem } from "@/lib/errors";
import type { McpServerRow } from "@/db/queries/mcp-servers";
import { checkUrlDestination } from "@/lib/net/address-policy";
import { getEgressAllowlist } from "@/lib/net/egress";
import {
  authProblems,
  foreignAuthFields,
  headerProblems,
  OAUTH2_MANUAL_FIELDS,
  oauth2Setup,
  type AuthProblem,
  type McpAuth,
} from "@/lib/schemas/mcp-auth";
import type { AuthType, UpdateMcpServer } from "@/lib/schemas/mcp-servers";

// Validation rules of MCP server configs that need more than the zod schema: auth-type
// coherence, egress destinations, header-name clashes, and when OAuth2 discovery must run.
// The per-auth-type rules themselves are shared with the admin form (lib/schemas/mcp-auth.ts);
// here they become the API's problems.

export function assertNoForeignAuthFields(authType: AuthType, body: Record<string, unknown>): void {
  const problems: FieldProblem[] = foreignAuthFields(authType, body).map(({ field, owner }) => ({
    field,
    detail: `applies only when auth_type is ${owner}`,
  }));
  if (problems.length > 0) {
    throw new ApiError(
      400,
      "validation.invalid",
      `${problems[0]!.field} ${problems[0]!.detail}.`,
      problems,
    );
  }
}

/** Literal addresses and names like localhost are refused at once (docs/security.md, point 3). */
export function assertDestinationAllowed(field: string, url: string | undefined): void {
  if (!url) return;
  const check = checkUrlDestination(url, getEgressAllowlist());
  if (check.ok) return;
  const detail =
    check.code === "egress.destination_not_allowed"
      ? "points to a loopback, private, link-local or metadata address; list it in EGRESS_ALLOWLIST to allow it"
      : "is not a valid http(s) URL";
  throw new ApiError(
    400,
    check.code === "egress.destination_not_allowed" ? check.code : "validation.invalid",
    `${field} ${detail}.`,
    [{ field, detail }],
  );
}

/** The columns of a config that say how it authenticates. */
export type AuthColumns = Pick<
  McpServerRow,
  | "authType"
  | "oauth2ClientId"
  | "oauth2ClientSecretEnc"
  | "oauth2AuthUrl"
  | "oauth2TokenUrl"
  | "apiKeyHeader"
  | "apiKeyValueEnc"
  | "customHeadersEnc"
  | "customHeaderNames"
>;

/** A stored (or about to be stored) config's auth, as the shared rules see it. */
export function authOfRow(row: AuthColumns): McpAuth {
  switch (row.authType) {
    case "none":
    case "user_oidc":
      return { type: row.authType };
    case "oauth2":
      return {
        type: "oauth2",
        clientId: row.oauth2ClientId,
        authUrl: row.oauth2AuthUrl,
        tokenUrl: row.oauth2TokenUrl,
        hasClientSecret: row.oauth2ClientSecretEnc !== null,
      };
    case "api_key":
      return { type: "api_key", header: row.apiKeyHeader, hasValue: row.apiKeyValueEnc !== null };
    case "custom_headers":
      return {
        type: "custom_headers",
        // Stored headers always have their values: they are sealed together.
        headers:
          row.customHeadersEnc === null
            ? []
            : row.customHeaderNames.map((name) => ({ name, hasValue: true })),
      };
  }
}

/** One of the shared auth rules' problems as the API reports it. */
function authProblemError(problem: AuthProblem, all: readonly AuthProblem[]): ApiError {
  switch (problem.kind) {
    case "required":
      return new ApiError(
        400,
        "mcp_server.auth_type_incomplete",
        "An API key needs a header name and a value.",
        all
          .filter((p) => p.kind === "required")
          .map((p) => ({ field: p.field, detail: "is required for auth_type api_key" })),
      );
    case "no_headers":
      return new ApiError(
        400,
        "mcp_server.auth_type_incomplete",
        "Custom headers need at least one header.",
        [{ field: "custom_headers", detail: "needs at least one header" }],
      );
    case "header_unnamed":
      return invalidField(`custom_headers[${problem.index}]`, "needs a header name");
    case "header_repeated":
      return invalidField(
        `custom_headers.${problem.name}`,
        "repeats a header name (names are case-insensitive)",
        "repeats a header name",
      );
    case "header_no_value":
      return invalidField(
        `custom_headers.${problem.name}`,
        "has no stored value to keep; give a value",
        "has no stored value to keep",
      );
    case "oauth2_partial":
      return new ApiError(
        400,
        "mcp_server.oauth2_partial",
        "Give the client ID, authorization URL and token URL together, or leave all three empty for automatic discovery.",
        problem.missing.map((field) => ({
          field,
          detail: "is required when any OAuth2 field is given",
        })),
      );
    case "oauth2_undiscovered":
      // Callers run discovery before this check whenever all three are empty.
      return new ApiError(
        400,
        "mcp_server.oauth2_discovery_failed",
        "OAuth2 needs a client ID, authorization URL and token URL.",
        [{ field: "oauth2_client_id", detail: "is required" }],
      );
  }
}

/** A `validation.invalid` about one field; `short` is the message's wording when it differs. */
function invalidField(field: string, detail: string, short = detail): ApiError {
  return new ApiError(400, "validation.invalid", `${field} ${short}.`, [{ field, detail }]);
}

/** The state a config must be in for its auth type to work. */
export function assertAuthComplete(row: AuthColumns): void {
  const problems = authProblems(authOfRow(row));
  if (problems.length > 0) throw authProblemError(problems[0]!, problems);
}

/** Header names of a request: each at most once, whatever its case. */
export function assertUniqueHeaderNames(names: string[]): void {
  const repeated = headerProblems(names.map((name) => ({ name, hasValue: true }))).find(
    (p) => p.kind === "header_repeated",
  );
  if (repeated) throw authProblemError(repeated, [repeated]);
}

/**
 * A PATCH's headers with the stored values of those it keeps (a null value): every name must
 * be unique and every kept one must have a stored value.
 */
export function mergeHeaders(
  input: Readonly<Record<string, string | null | undefined>>,
  stored: Readonly<Record<string, string>>,
): Record<string, string> {
  const names = Object.keys(input);
  assertUniqueHeaderNames(names);
  const merged: Record<string, string> = {};
  for (const name of names) {
    const value = input[name] ?? stored[name];
    if (value === undefined) {
      const problem: AuthProblem = { kind: "header_no_value", index: names.indexOf(name), name };
      throw authProblemError(problem, [problem]);
    }
    merged[name] = value;
  }
  return merged;
}

/**
 * Whether a PATCH needs discovery: the result is oauth2 with no client id / URLs (switching to
 * oauth2, or an admin emptying them to re-discover), or a discovered config moves to a new URL
 * without the admin entering a client (the old registration belongs to the old server).
 */
export function needsDiscovery(current: McpServerRow, input: UpdateMcpServer): boolean {
  const authType = input.auth_type ?? current.authType;
  if (authType !== "oauth2") return false;
  const switching = current.authType !== "oauth2";
  const after = {
    oauth2_client_id: input.oauth2_client_id ?? (switching ? "" : current.oauth2ClientId),
    oauth2_auth_url: input.oauth2_auth_url ?? (switching ? "" : current.oauth2AuthUrl),
    oauth2_token_url: input.oauth2_token_url ?? (switching ? "" : current.oauth2TokenUrl),
  };
  if (oauth2Setup(after).kind === "discover") return true;
  const urlChanged = input.url !== undefined && input.url !== current.url;
  const manualGiven = OAUTH2_MANUAL_FIELDS.some((f) => input[f] !== undefined);
  return current.oauth2Discovered && urlChanged && !manualGiven;
}
