/**
 * Checks a tool call's arguments against the tool's own input schema before anything is sent
 * to the server, so the model gets the problems back at once and a server never sees input
 * its schema rules out. JSON Schema 2020-12 is MCP's default dialect.
 */
import { createHash } from "node:crypto";
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";

const MAX_CACHED = 500;
const MAX_REPORTED_ERRORS = 10;

// One instance for every tool. `addUsedSchema: false` keeps a schema's `$id` out of the
// instance, so one server's schema can neither clash with nor `$ref` another's. No
// `loadSchema`: a `$ref` to anything outside the schema itself fails to compile instead of
// being fetched over the network.
const ajv = new Ajv2020({
  strict: false,
  allErrors: true,
  addUsedSchema: false,
  validateFormats: false,
  logger: false,
});

type Compiled = { ok: true; validate: ValidateFunction } | { ok: false };

/** Compiled validators by the definition's hash, most recently used last. */
const cache = new Map<string, Compiled>();

function keyOf(schema: unknown): string | undefined {
  try {
    return createHash("sha256").update(JSON.stringify(schema)).digest("hex");
  } catch {
    return undefined;
  }
}

/**
 * True for a regular expression that can backtrack exponentially: a quantified group that
 * holds a quantifier or an alternation, as in `(a+)+` or `(a|a)*`. A heuristic (it also
 * flags some safe patterns), erring on the side of not running the pattern here.
 */
export function mayBacktrackBadly(pattern: string): boolean {
  const groups: { risky: boolean }[] = [{ risky: false }];
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i]!;
    if (char === "\\") {
      i += 1;
    } else if (char === "[") {
      // A character class: skip to its end; nothing inside is a quantifier or a group.
      for (i += 1; i < pattern.length && pattern[i] !== "]"; i += 1) {
        if (pattern[i] === "\\") i += 1;
      }
    } else if (char === "(") {
      groups.push({ risky: false });
    } else if (char === ")") {
      const inner = groups.length > 1 ? groups.pop()! : { risky: false };
      const next = pattern[i + 1];
      const quantified = next === "*" || next === "+" || next === "{";
      if (quantified && inner.risky) return true;
      if (quantified || inner.risky) groups.at(-1)!.risky = true;
    } else if (char === "*" || char === "+" || char === "{" || char === "|") {
      groups.at(-1)!.risky = true;
    }
  }
  return false;
}

/** Every regular expression a schema would run: `pattern` values, `patternProperties` keys. */
function patternsOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 64 || value === null || typeof value !== "object") return out;
  if (Array.isArray(value)) {
    for (const item of value) patternsOf(item, out, depth + 1);
    return out;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (key === "pattern" && typeof item === "string") out.push(item);
    if (key === "patternProperties" && item !== null && typeof item === "object") {
      out.push(...Object.keys(item));
    }
    patternsOf(item, out, depth + 1);
  }
  return out;
}

function compile(schema: Record<string, unknown>): Compiled {
  // Ajv runs `pattern` with JavaScript's backtracking engine, on arguments the model wrote
  // (and a prompt injection may steer): one catastrophic pattern would stall the process.
  // Such schemas are left to the server to enforce.
  if (patternsOf(schema).some(mayBacktrackBadly)) return { ok: false };
  // Servers written against draft-07 name it in `$schema`; this instance only knows 2020-12,
  // whose keywords cover theirs, so the dialect marker is dropped rather than refused.
  const { $schema: _dialect, ...body } = schema;
  try {
    return { ok: true, validate: ajv.compile(body) };
  } catch {
    return { ok: false };
  }
}

function compiled(schema: Record<string, unknown>): Compiled {
  const key = keyOf(schema);
  if (key === undefined) return { ok: false };
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const made = compile(schema);
  cache.set(key, made);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return made;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === "" ? "the arguments" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
    return `${where} must not have property "${params.additionalProperty}"`;
  }
  if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    return `${where} must be one of ${JSON.stringify(params.allowedValues)}`;
  }
  return `${where} ${error.message ?? "is invalid"}`;
}

export type ArgumentCheck = { ok: true } | { ok: false; problems: string[] };

/**
 * Validates `args` against the tool's input schema. A schema that does not compile (a remote
 * `$ref`, a dialect this validator does not know, a malformed keyword) is not enforced: the
 * server remains the judge of its own input, and refusing every call over a schema quirk
 * would take a working tool away from the model.
 */
export function checkToolArguments(
  inputSchema: Record<string, unknown>,
  args: Record<string, unknown>,
): ArgumentCheck {
  const entry = compiled(inputSchema);
  if (!entry.ok) return { ok: true };
  if (entry.validate(args)) return { ok: true };
  const problems = [...new Set((entry.validate.errors ?? []).map(describe))];
  const shown = problems.slice(0, MAX_REPORTED_ERRORS);
  if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
  return { ok: false, problems: shown };
}

/** The error text for the model when its arguments do not fit the schema. */
export function invalidArgumentsMessage(toolName: string, problems: readonly string[]): string {
  return (
    `Invalid arguments for tool ${toolName}; nothing was sent to the server. Fix these and ` +
    `call it again:\n- ${problems.join("\n- ")}`
  );
}
