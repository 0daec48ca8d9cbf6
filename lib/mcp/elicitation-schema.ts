// The restricted JSON Schema of an MCP form elicitation, read as a list of fields: a flat
// object whose properties are strings (with length bounds and the formats email, uri, date,
// date-time), numbers, integers (with bounds), booleans, single-choice enums (`enum`, or
// `oneOf` of `{const, title}`) and multi-choice arrays of such. Pure code: the chat's form
// renders and checks the same fields the server checks an answer against.

export type ElicitValue = string | number | boolean | string[];

interface FieldBase {
  name: string;
  /** What the form shows: the property's title, else its name. */
  label: string;
  description?: string;
  required: boolean;
}

export interface EnumOption {
  value: string;
  label: string;
}

export type ElicitField =
  | (FieldBase & {
      kind: "string";
      minLength?: number;
      maxLength?: number;
      format?: "email" | "uri" | "date" | "date-time";
      default?: string;
    })
  | (FieldBase & {
      kind: "number" | "integer";
      minimum?: number;
      maximum?: number;
      default?: number;
    })
  | (FieldBase & { kind: "boolean"; default?: boolean })
  | (FieldBase & { kind: "enum"; options: EnumOption[]; default?: string })
  | (FieldBase & {
      kind: "multi";
      options: EnumOption[];
      minItems?: number;
      maxItems?: number;
      default?: string[];
    });

const FORMATS = new Set(["email", "uri", "date", "date-time"]);
const MAX_FIELDS = 50;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

function optionsOf(schema: Record<string, unknown>): EnumOption[] | null {
  if (Array.isArray(schema.enum)) {
    if (!schema.enum.every((v) => typeof v === "string")) return null;
    const names = Array.isArray(schema.enumNames) ? schema.enumNames : [];
    return (schema.enum as string[]).map((value, i) => ({
      value,
      label: typeof names[i] === "string" ? (names[i] as string) : value,
    }));
  }
  const titled = Array.isArray(schema.oneOf) ? schema.oneOf : schema.anyOf;
  if (Array.isArray(titled)) {
    const options: EnumOption[] = [];
    for (const item of titled) {
      if (!isRecord(item) || typeof item.const !== "string") return null;
      options.push({ value: item.const, label: str(item.title) ?? item.const });
    }
    return options;
  }
  return null;
}

function fieldOf(name: string, raw: unknown, required: boolean): ElicitField | null {
  if (!isRecord(raw)) return null;
  const base: FieldBase = {
    name,
    label: str(raw.title) ?? name,
    required,
    ...(str(raw.description) !== undefined && { description: str(raw.description)! }),
  };
  const type = raw.type;
  if (type === "string") {
    const options = optionsOf(raw);
    if (options) {
      const def = str(raw.default);
      return { ...base, kind: "enum", options, ...(def !== undefined && { default: def }) };
    }
    if (raw.enum !== undefined || raw.oneOf !== undefined || raw.anyOf !== undefined) return null;
    const format = str(raw.format);
    if (format !== undefined && !FORMATS.has(format)) return null;
    const field: ElicitField = { ...base, kind: "string" };
    if (num(raw.minLength) !== undefined) field.minLength = num(raw.minLength)!;
    if (num(raw.maxLength) !== undefined) field.maxLength = num(raw.maxLength)!;
    if (format !== undefined) field.format = format as NonNullable<typeof field.format>;
    if (str(raw.default) !== undefined) field.default = str(raw.default)!;
    return field;
  }
  if (type === "number" || type === "integer") {
    const field: ElicitField = { ...base, kind: type };
    if (num(raw.minimum) !== undefined) field.minimum = num(raw.minimum)!;
    if (num(raw.maximum) !== undefined) field.maximum = num(raw.maximum)!;
    if (num(raw.default) !== undefined) field.default = num(raw.default)!;
    return field;
  }
  if (type === "boolean") {
    return {
      ...base,
      kind: "boolean",
      ...(typeof raw.default === "boolean" && { default: raw.default }),
    };
  }
  if (type === "array" && isRecord(raw.items)) {
    const options = optionsOf(raw.items);
    if (!options) return null;
    const field: ElicitField = { ...base, kind: "multi", options };
    if (num(raw.minItems) !== undefined) field.minItems = num(raw.minItems)!;
    if (num(raw.maxItems) !== undefined) field.maxItems = num(raw.maxItems)!;
    if (Array.isArray(raw.default) && raw.default.every((v) => typeof v === "string")) {
      field.default = raw.default as string[];
    }
    return field;
  }
  return null;
}

/**
 * The fields of a requested schema, in the server's order; null when the schema is not the
 * restricted elicitation shape (nested objects, unknown types or formats, too many fields).
 */
export function fieldsOf(schema: unknown): ElicitField[] | null {
  if (!isRecord(schema) || schema.type !== "object" || !isRecord(schema.properties)) return null;
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === "string") : [],
  );
  const entries = Object.entries(schema.properties);
  if (entries.length > MAX_FIELDS) return null;
  const fields: ElicitField[] = [];
  for (const [name, raw] of entries) {
    const field = fieldOf(name, raw, required.has(name));
    if (!field) return null;
    fields.push(field);
  }
  return fields;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function formatProblem(format: string, value: string): string | null {
  if (format === "email" && !EMAIL.test(value)) return "must be an email address";
  if (format === "uri") {
    try {
      new URL(value);
    } catch {
      return "must be an absolute URL";
    }
  }
  if (format === "date" && !DATE.test(value)) return "must be a date (YYYY-MM-DD)";
  if (format === "date-time" && (!/^\d{4}-\d{2}-\d{2}T/.test(value) || isNaN(Date.parse(value))))
    return "must be a date and time";
  return null;
}

/** Why `value` does not fit `field`, or null when it does. */
export function fieldProblem(field: ElicitField, value: unknown): string | null {
  switch (field.kind) {
    case "string": {
      if (typeof value !== "string") return "must be text";
      if (field.minLength !== undefined && value.length < field.minLength)
        return `must be at least ${field.minLength} characters`;
      if (field.maxLength !== undefined && value.length > field.maxLength)
        return `must be at most ${field.maxLength} characters`;
      return field.format ? formatProblem(field.format, value) : null;
    }
    case "number":
    case "integer": {
      if (typeof value !== "number" || !Number.isFinite(value)) return "must be a number";
      if (field.kind === "integer" && !Number.isInteger(value)) return "must be a whole number";
      if (field.minimum !== undefined && value < field.minimum)
        return `must be at least ${field.minimum}`;
      if (field.maximum !== undefined && value > field.maximum)
        return `must be at most ${field.maximum}`;
      return null;
    }
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "enum":
      return typeof value === "string" && field.options.some((o) => o.value === value)
        ? null
        : "must be one of the offered choices";
    case "multi": {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
        return "must be a list of choices";
      if (!value.every((v) => field.options.some((o) => o.value === v)))
        return "must only hold offered choices";
      if (field.minItems !== undefined && value.length < field.minItems)
        return `needs at least ${field.minItems} choices`;
      if (field.maxItems !== undefined && value.length > field.maxItems)
        return `allows at most ${field.maxItems} choices`;
      return null;
    }
  }
}

/** `content` with each field the person left out set to its schema default (SEP-1034). */
export function withDefaults(
  fields: readonly ElicitField[],
  content: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...content };
  for (const field of fields) {
    if (out[field.name] === undefined && field.default !== undefined) {
      out[field.name] = structuredClone(field.default);
    }
  }
  return out;
}

export type ContentCheck =
  | { ok: true; content: Record<string, ElicitValue> }
  | { ok: false; problems: { field: string; detail: string }[] };

/**
 * Checks an accepted answer against the requested schema's restricted rules, defaults applied
 * first: only the schema's properties, each of its type and bounds, the required ones present.
 */
export function checkContent(schema: unknown, content: unknown): ContentCheck {
  const fields = fieldsOf(schema);
  if (!fields) {
    return {
      ok: false,
      problems: [{ field: "content", detail: "the requested schema is not a flat form" }],
    };
  }
  if (!isRecord(content)) {
    return { ok: false, problems: [{ field: "content", detail: "must be an object" }] };
  }
  const filled = withDefaults(fields, content);
  const problems: { field: string; detail: string }[] = [];
  for (const key of Object.keys(filled)) {
    if (!fields.some((f) => f.name === key)) problems.push({ field: key, detail: "is not asked" });
  }
  for (const field of fields) {
    const value = filled[field.name];
    if (value === undefined) {
      if (field.required) problems.push({ field: field.name, detail: "is required" });
      continue;
    }
    const problem = fieldProblem(field, value);
    if (problem) problems.push({ field: field.name, detail: problem });
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, content: filled as Record<string, ElicitValue> };
}
