// The approval card's pure parts: which arguments a simple form can show, reading a form or
// JSON back into arguments, and a light client-side check against the tool's input schema
// (types and required fields; the server checks the whole schema again).

export type FieldKind = "string" | "number" | "integer" | "boolean";

export interface ArgField {
  name: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
}

type Schema = {
  type?: unknown;
  properties?: Record<string, { type?: unknown; description?: unknown }>;
  required?: unknown;
};

const KINDS = new Set(["string", "number", "integer", "boolean"]);

/** Form fields for a flat object schema; null when the schema needs the JSON editor. */
export function formFields(schema: Record<string, unknown>): ArgField[] | null {
  const s = schema as Schema;
  const props = s.properties;
  if (!props || typeof props !== "object") return null;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const fields: ArgField[] = [];
  for (const [name, prop] of Object.entries(props)) {
    if (typeof prop?.type !== "string" || !KINDS.has(prop.type)) return null;
    fields.push({
      name,
      kind: prop.type as FieldKind,
      required: required.has(name),
      ...(typeof prop.description === "string" && { description: prop.description }),
    });
  }
  return fields.length > 0 ? fields : null;
}

/** The form's text values for some arguments. */
export function formValues(fields: readonly ArgField[], input: Record<string, unknown>) {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = input[f.name];
    out[f.name] = v === undefined || v === null ? "" : String(v);
  }
  return out;
}

export type Parsed =
  | { ok: true; input: Record<string, unknown> }
  | { ok: false; problems: { field: string; detail: string }[] };

/** Form text → arguments, with the problems a person can fix. */
export function readForm(fields: readonly ArgField[], values: Record<string, string>): Parsed {
  const input: Record<string, unknown> = {};
  const problems: { field: string; detail: string }[] = [];
  for (const f of fields) {
    const text = values[f.name] ?? "";
    if (text === "") {
      if (f.required) problems.push({ field: f.name, detail: "is required" });
      continue;
    }
    if (f.kind === "string") input[f.name] = text;
    else if (f.kind === "boolean") {
      if (text !== "true" && text !== "false")
        problems.push({ field: f.name, detail: "must be true or false" });
      else input[f.name] = text === "true";
    } else {
      const n = Number(text);
      if (!Number.isFinite(n) || (f.kind === "integer" && !Number.isInteger(n)))
        problems.push({
          field: f.name,
          detail: `must be ${f.kind === "integer" ? "a whole number" : "a number"}`,
        });
      else input[f.name] = n;
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, input };
}

function typeOk(value: unknown, type: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

/** JSON text → arguments: an object whose required and typed top-level fields fit the schema. */
export function readJson(schema: Record<string, unknown>, text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problems: [{ field: "input", detail: "is not valid JSON" }] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, problems: [{ field: "input", detail: "must be a JSON object" }] };
  }
  const input = value as Record<string, unknown>;
  const s = schema as Schema;
  const problems: { field: string; detail: string }[] = [];
  for (const name of Array.isArray(s.required) ? (s.required as string[]) : []) {
    if (!(name in input)) problems.push({ field: name, detail: "is required" });
  }
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    if (name in input && !typeOk(input[name], prop?.type))
      problems.push({ field: name, detail: `must be of type ${String(prop?.type)}` });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, input };
}

/** "12 min left", "45 s left", or "expired". */
export function timeLeft(until: string, now = Date.now()): string {
  const ms = Date.parse(until) - now;
  if (!(ms > 0)) return "expired";
  if (ms < 60_000) return `${Math.ceil(ms / 1000)} s left`;
  return `${Math.ceil(ms / 60_000)} min left`;
}
