import type { z } from "zod";
import { ApiError, type FieldProblem } from "@/lib/errors";

function fieldName(path: readonly PropertyKey[], prefix?: string): string {
  const parts = path.map((p) => (typeof p === "number" ? `[${p}]` : String(p)));
  const joined = parts.join(".").replace(/\.\[/g, "[");
  if (prefix) return joined ? `${prefix}.${joined}` : prefix;
  return joined || "body";
}

/**
 * Turns zod issues into the contract's error: unknown fields get their own code (a client
 * sending a misspelt field must hear about it), everything else is `validation.invalid`.
 */
export function validationError(error: z.ZodError, prefix?: string): ApiError {
  const unknown: FieldProblem[] = [];
  const invalid: FieldProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        unknown.push({ field: fieldName([...issue.path, key], prefix), detail: "unknown field" });
      }
    } else if (issue.code === "invalid_key") {
      // A record key (e.g. a header name) failed its own schema: report the key's problem.
      const key = issue.path.length ? issue.path : [];
      for (const inner of issue.issues) {
        invalid.push({ field: fieldName(key, prefix), detail: inner.message });
      }
    } else {
      const missing = issue.code === "invalid_type" && issue.input === undefined;
      invalid.push({
        field: fieldName(issue.path, prefix),
        detail: missing ? "is required" : issue.message,
      });
    }
  }
  if (unknown.length > 0) {
    const names = unknown.map((u) => u.field).join(", ");
    return new ApiError(400, "validation.unknown_field", `Unknown field: ${names}.`, unknown);
  }
  const first = invalid[0];
  const message = first ? `${first.field} ${first.detail}.` : "The request is invalid.";
  return new ApiError(400, "validation.invalid", message.replace(/\.\.$/, "."), invalid);
}

/**
 * The first string (or object key) holding a NUL character, as a field path. Postgres text
 * cannot store U+0000, and no field of this API has a use for it, so one check here covers
 * every route instead of a refine on each schema.
 */
function findNul(value: unknown, path: PropertyKey[]): PropertyKey[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes("\u0000")) return [...path, key];
      const found = findNul(inner, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** A `validation.invalid` naming the field that holds a NUL character, or null. */
export function nulCharacterError(input: unknown, prefix?: string): ApiError | null {
  const path = findNul(input, []);
  if (!path) return null;
  // The key itself may be the culprit: show it escaped rather than with a raw NUL.
  const field = fieldName(
    path.map((p) => (typeof p === "string" ? p.replaceAll("\u0000", "\\u0000") : p)),
    prefix,
  );
  const detail = "must not contain NUL characters (U+0000)";
  return new ApiError(400, "validation.invalid", `${field} ${detail}.`, [{ field, detail }]);
}
