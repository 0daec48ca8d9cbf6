/**
 * Checks a tool result's `structuredContent` against the tool's `outputSchema` (MCP 2025-11-25,
 * "Output Schema": servers MUST return structured results that conform, clients SHOULD
 * validate). A result that does not conform, or that omits the structured content its schema
 * promises, becomes an error result the model reads; it is never passed on as if it were fine.
 *
 * Validators are compiled once per listed definition: the pool hands out the same outputSchema
 * object until the server's tool list changes, so a WeakMap keyed on it compiles each
 * definition version once and frees it with the listing.
 *
 * Schemas this module will not compile, so the tool's results pass unvalidated (logged once
 * per definition version): a `$ref` to anything outside the schema (nothing is ever fetched:
 * the Ajv instance has no `loadSchema`, so such a schema fails to compile), a schema over
 * MAX_OUTPUT_SCHEMA_BYTES or nested deeper than MAX_OUTPUT_SCHEMA_DEPTH, a regular expression
 * that can backtrack catastrophically, a keyword or dialect Ajv rejects. Refusing every result
 * of a working tool over a quirk of its schema would take the tool away from the model; the
 * server stays responsible for its output, as it is for any tool without a schema.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation";
import { mayBacktrackBadly } from "./input-validation";

export const MAX_OUTPUT_SCHEMA_BYTES = 256 * 1024;
export const MAX_OUTPUT_SCHEMA_DEPTH = 64;
const MAX_REPORTED_ERRORS = 5;

// Its own instance, configured like the input validator's: `addUsedSchema: false` keeps one
// server's `$id` from clashing with or being referenced by another's; no `loadSchema`, so a
// remote `$ref` is a compile error, never a request. `allErrors: false`: the first problem is
// enough to reject a result, and a huge invalid result cannot pile up millions of errors.
const ajv = new Ajv2020({
  strict: false,
  allErrors: false,
  addUsedSchema: false,
  validateFormats: false,
  logger: false,
});

export type CompiledOutputSchema =
  { ok: true; validate: ValidateFunction } | { ok: false; reason: string };

const compiledBySchema = new WeakMap<object, CompiledOutputSchema>();

/** Why a schema is not compiled (depth, size, risky patterns), or undefined. */
function inspect(schema: unknown): string | undefined {
  // Depth first, iteratively: a schema nested a million levels deep costs a loop, not the
  // stack (JSON.stringify below would overflow on it).
  const stack: { value: unknown; depth: number }[] = [{ value: schema, depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_OUTPUT_SCHEMA_DEPTH) {
      return `it is nested deeper than ${MAX_OUTPUT_SCHEMA_DEPTH} levels`;
    }
    // A node stands for at least a few bytes: past this many, the size check would fail.
    if ((nodes += 1) > MAX_OUTPUT_SCHEMA_BYTES / 2) {
      return `it is larger than ${MAX_OUTPUT_SCHEMA_BYTES} bytes`;
    }
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (key === "pattern" && typeof item === "string" && mayBacktrackBadly(item)) {
        return "a pattern in it could backtrack catastrophically";
      }
      if (key === "patternProperties" && item !== null && typeof item === "object") {
        if (Object.keys(item).some(mayBacktrackBadly)) {
          return "a pattern in it could backtrack catastrophically";
        }
      }
      stack.push({ value: item, depth: depth + 1 });
    }
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(schema);
  } catch {
    return "it cannot be serialized";
  }
  if (json === undefined) return "it is empty";
  if (json.length > MAX_OUTPUT_SCHEMA_BYTES) {
    return `it is larger than ${MAX_OUTPUT_SCHEMA_BYTES} bytes`;
  }
  return undefined;
}

function compile(schema: Record<string, unknown>): CompiledOutputSchema {
  const refused = inspect(schema);
  if (refused !== undefined) return { ok: false, reason: refused };
  // Draft-07 servers name their dialect; 2020-12 (MCP's default) covers their keywords.
  const { $schema: _dialect, ...body } = schema;
  try {
    const validate = ajv.compile(body);
    // Ajv keeps every compiled schema in a map of its own; the WeakMap above is the cache.
    ajv.removeSchema(body);
    return { ok: true, validate };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const remote = /can't resolve reference/i.test(message);
    return {
      ok: false,
      reason: remote
        ? `it refers to a schema outside itself (${message.slice(0, 200)}); nothing is fetched`
        : `it does not compile (${message.slice(0, 200)})`,
    };
  }
}

/**
 * The compiled validator of a listed output schema, compiled on first use and kept for as long
 * as the listing holds the schema object. `onRefused` hears once per definition version why a
 * schema is not enforced.
 */
export function compiledOutputSchema(
  schema: Record<string, unknown>,
  onRefused?: (reason: string) => void,
): CompiledOutputSchema {
  const hit = compiledBySchema.get(schema);
  if (hit !== undefined) return hit;
  const made = compile(schema);
  compiledBySchema.set(schema, made);
  if (!made.ok) onRefused?.(made.reason);
  return made;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === "" ? "the structured content" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
    return `${where} must not have property "${params.additionalProperty}"`;
  }
  if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    return `${where} must be one of ${JSON.stringify(params.allowedValues).slice(0, 200)}`;
  }
  return `${where} ${error.message ?? "is invalid"}`;
}

export type OutputCheck =
  /** `validated` is false when the tool has no schema or its schema is not enforced. */
  { ok: true; validated: boolean } | { ok: false; problems: string[] };

export interface ToolResultShape {
  isError?: boolean;
  structuredContent?: unknown;
}

/**
 * Checks a result against the tool's output schema. Error results are not checked (the spec
 * asks for structured content on success only). Never throws: a validator that fails on the
 * data (a recursive schema over data nested past the stack) rejects this one result.
 */
export function checkToolOutput(
  outputSchema: Record<string, unknown> | undefined,
  result: ToolResultShape,
  onRefused?: (reason: string) => void,
): OutputCheck {
  if (outputSchema === undefined || result.isError === true) return { ok: true, validated: false };
  const compiled = compiledOutputSchema(outputSchema, onRefused);
  if (!compiled.ok) return { ok: true, validated: false };
  if (result.structuredContent === undefined) {
    return {
      ok: false,
      problems: ["it returned no structured content, although its output schema requires it"],
    };
  }
  let valid: boolean;
  try {
    valid = compiled.validate(result.structuredContent) === true;
  } catch {
    return {
      ok: false,
      problems: ["its structured content could not be checked (it is nested too deeply)"],
    };
  }
  if (valid) return { ok: true, validated: true };
  const problems = [...new Set((compiled.validate.errors ?? []).map(describe))];
  return { ok: false, problems: problems.slice(0, MAX_REPORTED_ERRORS) };
}

/** The error text for the model and the user when a result breaks the tool's output schema. */
export function invalidOutputMessage(toolName: string, problems: readonly string[]): string {
  return (
    `The tool ${toolName} returned a result that does not match its declared output schema, ` +
    `so the result was withheld:\n- ${problems.join("\n- ")}`
  );
}

/**
 * Handed to the SDK client in place of its own validator, which would compile every listed
 * output schema with a second Ajv instance while the listing is read (a schema it cannot
 * compile fails the whole listing) and check results with it. toolgate checks results itself,
 * above, one call at a time.
 */
export const sdkOutputValidationOff: jsonSchemaValidator = {
  getValidator: () => (input) => ({ valid: true, data: input as never, errorMessage: undefined }),
};
