// An MCP server config's authentication: one shape per auth type, the request fields each type
// owns, and what each type needs to work. The API's validation (lib/mcp-config/validation.ts)
// and the admin form (components/admin/mcp-servers) both judge a config with these rules and
// word the problems their own way. Plain TypeScript importing only the value sets, so the
// form's bundle carries nothing of the server.
import type { AuthType } from "@/db/enums";

/** A header of a `custom_headers` config; `hasValue` counts a stored value that is kept. */
export interface AuthHeader {
  name: string;
  hasValue: boolean;
}

/** What one config sends to its server, by auth type. Secrets appear only as whether one is set. */
export type McpAuth =
  | { type: "none" }
  /** The user's own OIDC access token, forwarded; nothing to configure. */
  | { type: "user_oidc" }
  | {
      type: "oauth2";
      clientId: string;
      authUrl: string;
      tokenUrl: string;
      /** Optional: public clients have none. */
      hasClientSecret: boolean;
    }
  | { type: "api_key"; header: string; hasValue: boolean }
  | { type: "custom_headers"; headers: readonly AuthHeader[] };

/** The request fields each auth type owns: under any other type they must be empty. */
export const AUTH_TYPE_FIELDS = {
  none: [],
  user_oidc: [],
  oauth2: [
    "oauth2_client_id",
    "oauth2_client_secret",
    "oauth2_auth_url",
    "oauth2_token_url",
    "oauth2_scopes",
  ],
  api_key: ["api_key_header", "api_key_value"],
  custom_headers: ["custom_headers"],
} as const satisfies Record<AuthType, readonly string[]>;

export type AuthField = (typeof AUTH_TYPE_FIELDS)[AuthType][number];

const OWNER = new Map<string, AuthType>(
  Object.entries(AUTH_TYPE_FIELDS).flatMap(([type, fields]) =>
    fields.map((field): [string, AuthType] => [field, type as AuthType]),
  ),
);

/** The auth type whose field this is (undefined for fields every config has). */
export function authTypeOwning(field: string): AuthType | undefined {
  return OWNER.get(field);
}

function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === "" ||
    (typeof value === "object" && Object.keys(value as object).length === 0)
  );
}

/** Fields of `body` that belong to another auth type than `authType` and are not empty. */
export function foreignAuthFields(
  authType: AuthType,
  body: Readonly<Record<string, unknown>>,
): { field: AuthField; owner: AuthType }[] {
  const found: { field: AuthField; owner: AuthType }[] = [];
  for (const [owner, fields] of Object.entries(AUTH_TYPE_FIELDS) as [
    AuthType,
    readonly AuthField[],
  ][]) {
    if (owner === authType) continue;
    for (const field of fields) if (!isEmptyValue(body[field])) found.push({ field, owner });
  }
  return found;
}

/** The OAuth2 client fields given together by hand, or left empty together for discovery. */
export const OAUTH2_MANUAL_FIELDS = [
  "oauth2_client_id",
  "oauth2_auth_url",
  "oauth2_token_url",
] as const;
export type Oauth2ManualField = (typeof OAUTH2_MANUAL_FIELDS)[number];

/**
 * How an OAuth2 client is set up: all three fields by hand, none (toolgate discovers the
 * authorization server and registers itself), or some, which is refused.
 */
export type Oauth2Setup =
  { kind: "manual" } | { kind: "discover" } | { kind: "partial"; missing: Oauth2ManualField[] };

export function oauth2Setup(fields: Readonly<Record<Oauth2ManualField, string>>): Oauth2Setup {
  const missing = OAUTH2_MANUAL_FIELDS.filter((f) => fields[f].trim() === "");
  if (missing.length === 0) return { kind: "manual" };
  if (missing.length === OAUTH2_MANUAL_FIELDS.length) return { kind: "discover" };
  return { kind: "partial", missing };
}

/** Why a config's auth cannot work yet; each names the field it is about. */
export type AuthProblem =
  | { kind: "required"; field: "api_key_header" | "api_key_value" }
  | { kind: "oauth2_partial"; missing: Oauth2ManualField[] }
  /** No client at all: discovery has yet to fill it in (the form saves; the server discovers). */
  | { kind: "oauth2_undiscovered" }
  | { kind: "no_headers" }
  | { kind: "header_unnamed"; index: number }
  /** Header names are case-insensitive: the second spelling of a name is the problem. */
  | { kind: "header_repeated"; index: number; name: string }
  | { kind: "header_no_value"; index: number; name: string };

/** Problems of the header list itself: names missing or repeated, values missing. */
export function headerProblems(headers: readonly AuthHeader[]): AuthProblem[] {
  const problems: AuthProblem[] = [];
  const seen = new Set<string>();
  headers.forEach(({ name, hasValue }, index) => {
    const lower = name.toLowerCase();
    if (!name) problems.push({ kind: "header_unnamed", index });
    else if (seen.has(lower)) problems.push({ kind: "header_repeated", index, name });
    else if (!hasValue) problems.push({ kind: "header_no_value", index, name });
    seen.add(lower);
  });
  return problems;
}

/** Everything that keeps `auth` from working, in the order of its fields; empty when complete. */
export function authProblems(auth: McpAuth): AuthProblem[] {
  switch (auth.type) {
    case "none":
    case "user_oidc":
      return [];
    case "api_key": {
      const problems: AuthProblem[] = [];
      if (!auth.header.trim()) problems.push({ kind: "required", field: "api_key_header" });
      if (!auth.hasValue) problems.push({ kind: "required", field: "api_key_value" });
      return problems;
    }
    case "custom_headers":
      return auth.headers.length === 0 ? [{ kind: "no_headers" }] : headerProblems(auth.headers);
    case "oauth2": {
      const setup = oauth2Setup({
        oauth2_client_id: auth.clientId,
        oauth2_auth_url: auth.authUrl,
        oauth2_token_url: auth.tokenUrl,
      });
      if (setup.kind === "partial") return [{ kind: "oauth2_partial", missing: setup.missing }];
      return setup.kind === "discover" ? [{ kind: "oauth2_undiscovered" }] : [];
    }
  }
}
