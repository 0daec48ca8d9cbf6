// Pure form logic for the MCP server editor: config → form values, form values → request
// bodies (create, and a minimal PATCH with the write-only secret rules) and the slug rule.
// Checks and error mapping are in mcp-server-form-validation.ts. No React here, so every rule
// is unit-tested beside it.
import type { McpServerConfig } from "@/lib/client/types";
import { authTypeOwning } from "@/lib/schemas/mcp-auth";
import {
  slugify,
  type Availability,
  type AuthType,
  type CreateMcpServerInput,
  type Transport,
  type UpdateMcpServerInput,
} from "@/lib/schemas/mcp-servers";

/** A write-only secret: never pre-filled. `clear` asks to delete the stored value. */
export interface SecretInput {
  value: string;
  clear: boolean;
}

export interface HeaderRow {
  /** Stable React key. */
  key: string;
  name: string;
  value: string;
  /** The stored header this row was pre-filled from (its value stays unknown to the browser). */
  storedName: string | null;
}

export interface McpServerFormValues {
  display_name: string;
  slug: string;
  /** Once the admin types into the slug it no longer follows the display name. */
  slugEdited: boolean;
  description: string;
  icon_url: string;
  url: string;
  transport: Transport;
  auth_type: AuthType;
  oauth2_client_id: string;
  oauth2_client_secret: SecretInput;
  oauth2_auth_url: string;
  oauth2_token_url: string;
  oauth2_scopes: string;
  api_key_header: string;
  api_key_value: SecretInput;
  custom_headers: HeaderRow[];
  tool_allow_list: string[];
  tool_deny_list: string[];
  availability: Availability;
  enabled: boolean;
  model_intent: boolean;
  allow_in_plan_mode: boolean;
  /** Empty = every tool the lists admit (sent as null). */
  plan_mode_tools: string[];
  forward_identity_headers: boolean;
}

export type FieldErrors = Record<string, string>;

const emptySecret = (): SecretInput => ({ value: "", clear: false });

let rowCounter = 0;
export function newHeaderRow(name = "", storedName: string | null = null): HeaderRow {
  rowCounter += 1;
  return { key: `header-${rowCounter}`, name, value: "", storedName };
}

export function emptyForm(): McpServerFormValues {
  return {
    display_name: "",
    slug: "",
    slugEdited: false,
    description: "",
    icon_url: "",
    url: "",
    transport: "streamable_http",
    auth_type: "none",
    oauth2_client_id: "",
    oauth2_client_secret: emptySecret(),
    oauth2_auth_url: "",
    oauth2_token_url: "",
    oauth2_scopes: "",
    api_key_header: "",
    api_key_value: emptySecret(),
    custom_headers: [],
    tool_allow_list: [],
    tool_deny_list: [],
    availability: "default_off",
    enabled: false,
    model_intent: false,
    allow_in_plan_mode: false,
    plan_mode_tools: [],
    forward_identity_headers: false,
  };
}

export function configToForm(config: McpServerConfig): McpServerFormValues {
  return {
    display_name: config.display_name,
    slug: config.slug,
    // The slug prefixes every exposed tool name: renaming a saved server must not move it.
    slugEdited: true,
    description: config.description,
    icon_url: config.icon_url,
    url: config.url,
    transport: config.transport || "streamable_http",
    auth_type: config.auth_type,
    oauth2_client_id: config.oauth2_client_id,
    oauth2_client_secret: emptySecret(),
    oauth2_auth_url: config.oauth2_auth_url,
    oauth2_token_url: config.oauth2_token_url,
    oauth2_scopes: config.oauth2_scopes,
    api_key_header: config.api_key_header,
    api_key_value: emptySecret(),
    custom_headers: config.custom_header_names.map((name) => newHeaderRow(name, name)),
    tool_allow_list: [...config.tool_allow_list],
    tool_deny_list: [...config.tool_deny_list],
    availability: config.availability,
    enabled: config.enabled,
    model_intent: config.model_intent,
    allow_in_plan_mode: config.allow_in_plan_mode,
    plan_mode_tools: [...(config.plan_mode_tools ?? [])],
    forward_identity_headers: config.forward_identity_headers,
  };
}

/** Display name change: the slug follows it until the admin edits the slug. */
export function withDisplayName(values: McpServerFormValues, name: string): McpServerFormValues {
  return values.slugEdited
    ? { ...values, display_name: name }
    : { ...values, display_name: name, slug: slugify(name) };
}

/** Slug change: an edited slug is left alone; clearing it hands it back to the display name. */
export function withSlug(values: McpServerFormValues, slug: string): McpServerFormValues {
  return { ...values, slug, slugEdited: slug !== "" };
}

/** Trims, drops blanks and duplicates, keeping the admin's order. */
export function normalizeList(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const item = raw.trim();
    if (item && !seen.has(item)) {
      seen.add(item);
      out.push(item);
    }
  }
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, i) => item === b[i]);

const planTools = (list: readonly string[]) => {
  const tools = normalizeList(list);
  return tools.length > 0 ? tools : null;
};

export const filledRows = (rows: readonly HeaderRow[]) =>
  rows.map((r) => ({ ...r, name: r.name.trim() })).filter((r) => r.name !== "" || r.value !== "");

/** Whether the config has a stored value for this secret that the form would keep. */
export function storedSecrets(values: McpServerFormValues, original?: McpServerConfig) {
  const same = original !== undefined && original.auth_type === values.auth_type;
  return {
    oauth2: same && original.has_oauth2_secret && !values.oauth2_client_secret.clear,
    apiKey: same && original.has_api_key && !values.api_key_value.clear,
  };
}

export function toCreateBody(values: McpServerFormValues): CreateMcpServerInput {
  const body: CreateMcpServerInput = {
    display_name: values.display_name.trim(),
    description: values.description.trim(),
    icon_url: values.icon_url.trim(),
    url: values.url.trim(),
    transport: values.transport,
    auth_type: values.auth_type,
    tool_allow_list: normalizeList(values.tool_allow_list),
    tool_deny_list: normalizeList(values.tool_deny_list),
    availability: values.availability,
    enabled: values.enabled,
    model_intent: values.model_intent,
    allow_in_plan_mode: values.allow_in_plan_mode,
    plan_mode_tools: planTools(values.plan_mode_tools),
    forward_identity_headers: values.forward_identity_headers,
  };
  // An empty slug lets the server derive one from the display name.
  if (values.slug.trim()) body.slug = values.slug.trim();
  // Only the chosen auth type's fields are sent: leftovers of another type would be stored.
  if (values.auth_type === "oauth2") {
    body.oauth2_client_id = values.oauth2_client_id.trim();
    body.oauth2_auth_url = values.oauth2_auth_url.trim();
    body.oauth2_token_url = values.oauth2_token_url.trim();
    body.oauth2_scopes = values.oauth2_scopes.trim();
    if (values.oauth2_client_secret.value) {
      body.oauth2_client_secret = values.oauth2_client_secret.value;
    }
  } else if (values.auth_type === "api_key") {
    body.api_key_header = values.api_key_header.trim();
    if (values.api_key_value.value) body.api_key_value = values.api_key_value.value;
  } else if (values.auth_type === "custom_headers") {
    body.custom_headers = Object.fromEntries(
      filledRows(values.custom_headers).map((r) => [r.name, r.value]),
    );
  }
  return body;
}

/** A typed value replaces; "Clear" on a stored secret deletes it (null); otherwise keep. */
function secretPatch(input: SecretInput, hasStored: boolean): string | null | undefined {
  if (input.value !== "") return input.value;
  if (input.clear && hasStored) return null;
  return undefined;
}

function headersPatch(
  rows: readonly HeaderRow[],
  original: McpServerConfig,
  authChanged: boolean,
): Record<string, string | null> | undefined {
  const filled = filledRows(rows);
  // Changing auth type makes the server drop stored headers, so nothing can be kept.
  const storedNames = authChanged ? [] : original.custom_header_names;
  const names = filled.map((r) => r.name);
  const untouched =
    !authChanged &&
    filled.every((r) => r.value === "") &&
    sameList([...names].sort(), [...storedNames].sort());
  if (untouched) return undefined;
  const out: Record<string, string | null> = {};
  for (const row of filled) {
    const keep = row.value === "" && row.storedName === row.name && storedNames.includes(row.name);
    out[row.name] = keep ? null : row.value;
  }
  return out;
}

/** The smallest PATCH body that turns `original` into `values` (empty when nothing changed). */
export function toUpdateBody(
  values: McpServerFormValues,
  original: McpServerConfig,
): UpdateMcpServerInput {
  const base = configToForm(original);
  const patch: UpdateMcpServerInput = {};
  const text = [
    "display_name",
    "slug",
    "description",
    "icon_url",
    "url",
    "oauth2_client_id",
    "oauth2_auth_url",
    "oauth2_token_url",
    "oauth2_scopes",
    "api_key_header",
  ] as const;
  const authChanged = values.auth_type !== original.auth_type;
  if (authChanged) patch.auth_type = values.auth_type;
  for (const key of text) {
    const owner = authTypeOwning(key);
    if (owner && owner !== values.auth_type) continue;
    const next = values[key].trim();
    // After an auth type change every field of the new type is sent: the server cleared them.
    if (next !== base[key].trim() || (owner && authChanged)) patch[key] = next;
  }
  for (const key of ["transport", "availability"] as const) {
    if (values[key] !== base[key]) (patch as Record<string, unknown>)[key] = values[key];
  }
  const flags = [
    "enabled",
    "model_intent",
    "allow_in_plan_mode",
    "forward_identity_headers",
  ] as const;
  for (const key of flags) if (values[key] !== base[key]) patch[key] = values[key];
  for (const key of ["tool_allow_list", "tool_deny_list"] as const) {
    const next = normalizeList(values[key]);
    if (!sameList(next, normalizeList(base[key]))) patch[key] = next;
  }
  // A stored empty list reads as "no narrowing" in the form, so it is not rewritten to null.
  const nextPlan = planTools(values.plan_mode_tools);
  const basePlan = planTools(original.plan_mode_tools ?? []);
  if (!sameList(nextPlan ?? [], basePlan ?? [])) {
    patch.plan_mode_tools = nextPlan;
  }

  const stored = {
    oauth2: !authChanged && original.has_oauth2_secret,
    apiKey: !authChanged && original.has_api_key,
  };
  if (values.auth_type === "oauth2") {
    const secret = secretPatch(values.oauth2_client_secret, stored.oauth2);
    if (secret !== undefined) patch.oauth2_client_secret = secret;
  } else if (values.auth_type === "api_key") {
    const secret = secretPatch(values.api_key_value, stored.apiKey);
    if (secret !== undefined) patch.api_key_value = secret;
  } else if (values.auth_type === "custom_headers") {
    const headers = headersPatch(values.custom_headers, original, authChanged);
    if (headers !== undefined) patch.custom_headers = headers;
  }
  return patch;
}

export function isDirty(values: McpServerFormValues, original: McpServerConfig): boolean {
  return Object.keys(toUpdateBody(values, original)).length > 0;
}

/** What every form section receives from the form container. */
export interface SectionProps {
  values: McpServerFormValues;
  update: (change: (values: McpServerFormValues) => McpServerFormValues) => void;
  errors: FieldErrors;
  /** The saved config when editing. */
  original?: McpServerConfig;
}
