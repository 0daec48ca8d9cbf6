// Client-side checks and error mapping for the MCP server form: the shared zod schemas plus
// the auth-type rules the server enforces, and problem+json → messages beside the fields.
import type { FieldProblem } from "@/lib/client/api";
import type { McpServerConfig } from "@/lib/client/types";
import { authProblems, oauth2Setup, type AuthProblem, type McpAuth } from "@/lib/schemas/mcp-auth";
import {
  createMcpServerBody,
  updateMcpServerBody,
  type CreateMcpServerInput,
  type UpdateMcpServerInput,
} from "@/lib/schemas/mcp-servers";
import {
  filledRows,
  storedSecrets,
  toCreateBody,
  toUpdateBody,
  type FieldErrors,
  type HeaderRow,
  type McpServerFormValues,
} from "./mcp-server-form-logic";

export type BuildResult<T> = { ok: true; body: T } | { ok: false; errors: FieldErrors };

const LABELS: Record<string, string> = {
  display_name: "Display name",
  slug: "Slug",
  description: "Description",
  icon_url: "Icon URL",
  url: "URL",
  transport: "Transport",
  auth_type: "Authentication",
  oauth2_client_id: "Client ID",
  oauth2_client_secret: "Client secret",
  oauth2_auth_url: "Authorization URL",
  oauth2_token_url: "Token URL",
  oauth2_scopes: "Scopes",
  api_key_header: "Header name",
  api_key_value: "Key value",
  custom_headers: "Headers",
  tool_allow_list: "Tool allow list",
  tool_deny_list: "Tool deny list",
  availability: "Availability",
  enabled: "Enabled",
  model_intent: "Model intent",
  allow_in_plan_mode: "Plan mode",
  plan_mode_tools: "Plan mode tools",
  forward_identity_headers: "Forward identity headers",
  version: "Version",
};

/** `field` as the API names it (`url`, `tool_allow_list[2]`, `custom_headers.X-Foo`) → a sentence. */
export function fieldMessage(field: string, detail: string): string {
  const header = /^custom_headers\.(.+)$/.exec(field);
  if (header) return `Header “${header[1]}” ${detail}`;
  const base = field.replace(/\[\d+\].*$/, "");
  return `${LABELS[base] ?? field} ${detail}`;
}

/** The error shown beside `field`; list fields also collect their entries' errors. */
export function errorFor(errors: FieldErrors, field: string): string | undefined {
  if (errors[field]) return errors[field];
  const entry = Object.keys(errors).find((k) => k.startsWith(`${field}[`));
  return entry ? errors[entry] : undefined;
}

/** The error for one header row: by its name (what the API reports), else by its position. */
export function headerRowError(errors: FieldErrors, row: HeaderRow, index: number) {
  const name = row.name.trim();
  return (
    (name ? errors[`custom_headers.${name}`] : undefined) ?? errors[`custom_headers[${index}]`]
  );
}

function pathToField(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
    .join(".")
    .replace(/\.\[/g, "[");
}

interface Issue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  issues?: readonly { message: string }[];
}

function issuesToErrors(issues: readonly Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = pathToField(issue.path) || "body";
    // A bad record key (header name) carries the real message one level down.
    const detail =
      issue.code === "invalid_key" ? (issue.issues?.[0]?.message ?? issue.message) : issue.message;
    errors[field] ??= fieldMessage(field, detail);
  }
  return errors;
}

/** The form's auth settings as the shared rules see them: stored secrets the save keeps count. */
function authOfForm(values: McpServerFormValues, original?: McpServerConfig): McpAuth {
  const stored = storedSecrets(values, original);
  switch (values.auth_type) {
    case "none":
    case "user_oidc":
      return { type: values.auth_type };
    case "oauth2":
      return {
        type: "oauth2",
        clientId: values.oauth2_client_id,
        authUrl: values.oauth2_auth_url,
        tokenUrl: values.oauth2_token_url,
        hasClientSecret: values.oauth2_client_secret.value !== "" || stored.oauth2,
      };
    case "api_key":
      return {
        type: "api_key",
        header: values.api_key_header,
        hasValue: values.api_key_value.value !== "" || stored.apiKey,
      };
    case "custom_headers": {
      const keepable =
        original?.auth_type === "custom_headers" ? new Set(original.custom_header_names) : null;
      return {
        type: "custom_headers",
        headers: filledRows(values.custom_headers).map((row) => ({
          name: row.name,
          hasValue: row.value !== "" || (row.storedName === row.name && !!keepable?.has(row.name)),
        })),
      };
    }
  }
}

/** One shared auth problem → the message beside its field (none when the save resolves it). */
function authProblemField(problem: AuthProblem): FieldErrors {
  switch (problem.kind) {
    case "required":
      return { [problem.field]: `${LABELS[problem.field]} is required` };
    case "oauth2_partial":
      return Object.fromEntries(
        problem.missing.map((k) => [
          k,
          `${LABELS[k]} is required when the others are set (or leave all three empty)`,
        ]),
      );
    case "oauth2_undiscovered":
      return {}; // Saving discovers the authorization server and registers toolgate.
    case "no_headers":
      return { custom_headers: "Add at least one header" };
    case "header_unnamed":
      return { [`custom_headers[${problem.index}]`]: "Header name is required" };
    case "header_repeated":
      return { [`custom_headers.${problem.name}`]: `Header “${problem.name}” is listed twice` };
    case "header_no_value":
      return { [`custom_headers.${problem.name}`]: `Header “${problem.name}” needs a value` };
  }
}

/** Checks the schema cannot make: the auth-type rules the server enforces, shared with it. */
function extraChecks(values: McpServerFormValues, original?: McpServerConfig): FieldErrors {
  const errors: FieldErrors = {};
  // Clearer than the schema's "must be an absolute http(s) URL" for an empty field.
  if (!values.url.trim()) errors.url = "URL is required";
  for (const problem of authProblems(authOfForm(values, original))) {
    for (const [field, message] of Object.entries(authProblemField(problem))) {
      errors[field] = message;
    }
  }
  return errors;
}

export function buildCreateRequest(values: McpServerFormValues): BuildResult<CreateMcpServerInput> {
  const body = toCreateBody(values);
  const parsed = createMcpServerBody.safeParse(body);
  const errors = {
    ...(parsed.success ? {} : issuesToErrors(parsed.error.issues)),
    ...extraChecks(values),
  };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // The unparsed body: zod defaults would send fields of other auth types.
  return { ok: true, body };
}

export function buildUpdateRequest(
  values: McpServerFormValues,
  original: McpServerConfig,
): BuildResult<UpdateMcpServerInput> {
  const body = toUpdateBody(values, original);
  const parsed = updateMcpServerBody.safeParse(body);
  const errors = {
    ...(parsed.success ? {} : issuesToErrors(parsed.error.issues)),
    ...extraChecks(values, original),
  };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body };
}

// Errors whose code names one field even when the server sends no `validations`.
const CODE_FIELDS: Record<string, string> = {
  "mcp_server.slug_conflict": "slug",
  "egress.destination_not_allowed": "url",
};

/** Server problem → errors beside fields; empty when the problem belongs in an alert. */
export function serverFieldErrors(problem: {
  code: string;
  message: string;
  validations: readonly FieldProblem[];
}): FieldErrors {
  const errors: FieldErrors = {};
  for (const v of problem.validations) errors[v.field] ??= fieldMessage(v.field, v.detail);
  const field = CODE_FIELDS[problem.code];
  if (field && Object.keys(errors).length === 0) errors[field] = problem.message;
  return errors;
}

/**
 * Whether saving these values makes the server discover the authorization server and register
 * toolgate with it (OAuth2 with no client ID and no endpoints): that POST or PATCH can take up
 * to 30 s, so the form says what is happening.
 */
export function willDiscoverOauth2(values: McpServerFormValues): boolean {
  return values.auth_type === "oauth2" && oauth2Setup(values).kind === "discover";
}

/**
 * A failed automatic OAuth2 setup. Its message names the step, the URL and the problem, which
 * the short note beside the URL field cannot hold, so the form also shows it in full.
 */
export function isOauth2DiscoveryProblem(problem: {
  code: string;
  validations: readonly FieldProblem[];
}): boolean {
  return (
    problem.code === "mcp_server.oauth2_discovery_failed" ||
    problem.validations.some((v) => v.detail.startsWith("OAuth2 discovery failed"))
  );
}
