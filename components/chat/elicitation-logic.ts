// The elicitation card's form state: the requested schema's fields (lib/mcp/elicitation-schema,
// the same reading the server checks answers with), the controls' values as the person edits
// them, and the content sent on Accept. Pure functions, tested without a browser.
import { fieldProblem, type ElicitField } from "@/lib/mcp/elicitation-schema";

/** A control's value: text for inputs and selects, a flag, or the chosen options. */
export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

/** The controls' first values: the schema's defaults, else empty. */
export function initialValues(fields: readonly ElicitField[]): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    if (f.kind === "boolean") values[f.name] = f.default ?? false;
    else if (f.kind === "multi") values[f.name] = f.default ?? [];
    else values[f.name] = f.default === undefined ? "" : String(f.default);
  }
  return values;
}

export type ReadForm =
  | { ok: true; content: Record<string, unknown> }
  | { ok: false; problems: { field: string; detail: string }[] };

/**
 * The content of an accepted form, checked as the server will check it. An empty optional
 * field is left out (the server's default, if any, applies).
 */
export function readElicitationForm(fields: readonly ElicitField[], values: FormValues): ReadForm {
  const content: Record<string, unknown> = {};
  const problems: { field: string; detail: string }[] = [];
  for (const f of fields) {
    const raw = values[f.name];
    let value: unknown;
    if (f.kind === "boolean" || f.kind === "multi") value = raw;
    else if (typeof raw === "string" && raw.trim() !== "") {
      value = f.kind === "number" || f.kind === "integer" ? Number(raw) : raw;
    }
    if (value === undefined) {
      if (f.required) problems.push({ field: f.name, detail: "is required" });
      continue;
    }
    const problem = fieldProblem(f, value);
    if (problem) problems.push({ field: f.name, detail: problem });
    else content[f.name] = value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, content };
}

/** A URL split for display, so its host (the part that says where it leads) stands out. */
export function urlParts(url: string): { before: string; host: string; after: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const at = url.indexOf(parsed.host);
  if (at < 0) return { before: "", host: parsed.host, after: url };
  return {
    before: url.slice(0, at),
    host: parsed.host,
    after: url.slice(at + parsed.host.length),
  };
}
