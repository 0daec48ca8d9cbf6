import { ApiError, type FieldProblem } from "@/lib/errors";
import type { McpServerRow } from "@/db/queries/mcp-servers";
import { checkUrlDestination } from "@/lib/net/address-policy";
import { getEgressAllowlist } from "@/lib/net/egress";
import type { AuthType, UpdateMcpServer } from "@/lib/schemas/mcp-servers";

// Validation rules of MCP server configs that need more than the zod schema: auth-type
// coherence, egress destinations, header-name clashes, and when OAuth2 discovery must run.

/** Fields that belong to one auth type; they must be empty under any other. */
const AUTH_FIELDS: Record<Exclude<AuthType, "none" | "user_oidc">, readonly string[]> = {
  oauth2: [
    "oauth2_client_id",
    "oauth2_client_secret",
    "oauth2_auth_url",
    "oauth2_token_url",
    "oauth2_scopes",
  ],
  api_key: ["api_key_header", "api_key_value"],
  custom_headers: ["custom_headers"],
};

function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === "" ||
    (typeof value === "object" && Object.keys(value as object).length === 0)
  );
}

export function assertNoForeignAuthFields(authType: AuthType, body: Record<string, unknown>): void {
  const problems: FieldProblem[] = [];
  for (const [type, fields] of Object.entries(AUTH_FIELDS)) {
    if (type === authType) continue;
    for (const field of fields) {
      if (!isEmptyValue(body[field])) {
        problems.push({ field, detail: `applies only when auth_type is ${type}` });
      }
    }
  }
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

/** The state a config must be in for its auth type to work. */
export function assertAuthComplete(row: {
  authType: string;
  oauth2ClientId: string;
  oauth2AuthUrl: string;
  oauth2TokenUrl: string;
  apiKeyHeader: string;
  apiKeyValueEnc: string | null;
  customHeadersEnc: string | null;
}): void {
  if (row.authType === "api_key") {
    const problems: FieldProblem[] = [];
    if (!row.apiKeyHeader)
      problems.push({ field: "api_key_header", detail: "is required for auth_type api_key" });
    if (!row.apiKeyValueEnc)
      problems.push({ field: "api_key_value", detail: "is required for auth_type api_key" });
    if (problems.length) {
      throw new ApiError(
        400,
        "mcp_server.auth_type_incomplete",
        "An API key needs a header name and a value.",
        problems,
      );
    }
  }
  if (row.authType === "custom_headers" && !row.customHeadersEnc) {
    throw new ApiError(
      400,
      "mcp_server.auth_type_incomplete",
      "Custom headers need at least one header.",
      [{ field: "custom_headers", detail: "needs at least one header" }],
    );
  }
  if (row.authType === "oauth2") {
    const given = [row.oauth2ClientId, row.oauth2AuthUrl, row.oauth2TokenUrl].filter(
      Boolean,
    ).length;
    if (given === 3) return;
    if (given > 0) {
      const missing = (
        [
          ["oauth2_client_id", row.oauth2ClientId],
          ["oauth2_auth_url", row.oauth2AuthUrl],
          ["oauth2_token_url", row.oauth2TokenUrl],
        ] as const
      )
        .filter(([, v]) => !v)
        .map(([f]) => ({ field: f, detail: "is required when any OAuth2 field is given" }));
      throw new ApiError(
        400,
        "mcp_server.oauth2_partial",
        "Give the client ID, authorization URL and token URL together, or leave all three empty for automatic discovery.",
        missing,
      );
    }
    // Callers run discovery before this check whenever all three are empty.
    throw new ApiError(
      400,
      "mcp_server.oauth2_discovery_failed",
      "OAuth2 needs a client ID, authorization URL and token URL.",
      [{ field: "oauth2_client_id", detail: "is required" }],
    );
  }
}

export const OAUTH2_MANUAL_FIELDS = [
  "oauth2_client_id",
  "oauth2_auth_url",
  "oauth2_token_url",
] as const;

function headerNamesCaseClash(names: string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    if (seen.has(lower)) return name;
    seen.add(lower);
  }
  return undefined;
}

export function assertUniqueHeaderNames(names: string[]): void {
  const clash = headerNamesCaseClash(names);
  if (clash) {
    throw new ApiError(
      400,
      "validation.invalid",
      `custom_headers.${clash} repeats a header name.`,
      [
        {
          field: `custom_headers.${clash}`,
          detail: "repeats a header name (names are case-insensitive)",
        },
      ],
    );
  }
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
  if (OAUTH2_MANUAL_FIELDS.every((f) => after[f] === "")) return true;
  const urlChanged = input.url !== undefined && input.url !== current.url;
  const manualGiven = OAUTH2_MANUAL_FIELDS.some((f) => input[f] !== undefined);
  return current.oauth2Discovered && urlChanged && !manualGiven;
}
