// A tool's definition as the catalogue pins it, and its hash. The fields are the ones that
// tell a model (or a person) what a tool does and how to call it: name, title, description,
// input and output schemas, annotations, icons and the MCP Apps UI link (`_meta.ui`). The
// hash is "sha256:" + the SHA-256 of the RFC 8785 canonical JSON of that object, so the same
// definition hashes the same whatever key order or number formatting a server uses. Pure.
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

/** What a listed tool may carry; every path that lists tools maps to this shape. */
export interface ListedToolLike {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  icons?: unknown[];
  _meta?: Record<string, unknown>;
}

/** The catalogue's copy of a definition (snake_case, as the API shows it). */
export interface ToolDefinition {
  name: string;
  title?: string;
  description?: string;
  input_schema: Record<string, unknown>;
  output_schema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  icons?: unknown[];
  _meta?: { ui: unknown };
}

/** Annotation keys the catalogue keeps (the spec's); other keys are not part of the hash. */
const ANNOTATION_KEYS = [
  "title",
  "readOnlyHint",
  "destructiveHint",
  "idempotentHint",
  "openWorldHint",
] as const;

export function toolDefinition(tool: ListedToolLike): ToolDefinition {
  const annotations = tool.annotations
    ? Object.fromEntries(
        ANNOTATION_KEYS.filter((k) => tool.annotations![k] !== undefined).map((k) => [
          k,
          tool.annotations![k],
        ]),
      )
    : undefined;
  const ui = tool._meta?.ui;
  return {
    name: tool.name,
    ...(tool.title !== undefined && { title: tool.title }),
    ...(tool.description !== undefined && { description: tool.description }),
    input_schema: tool.inputSchema,
    ...(tool.outputSchema !== undefined && { output_schema: tool.outputSchema }),
    ...(annotations !== undefined && Object.keys(annotations).length > 0 && { annotations }),
    ...(tool.icons !== undefined && tool.icons.length > 0 && { icons: tool.icons }),
    ...(ui !== undefined && { _meta: { ui } }),
  };
}

// Lone surrogates become U+FFFD, as String.prototype.toWellFormed does.
const fix = (text: string) =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return fix(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fix(k), wellFormed(v)]));
  }
  return value;
}

export function definitionHash(definition: ToolDefinition): string {
  let canonical: string | undefined;
  try {
    canonical = canonicalize(definition);
  } catch {
    // A lone surrogate (or a number JSON cannot hold) in server output: hash the repaired
    // value rather than fail the listing; the repaired text is what the model would see.
    canonical = canonicalize(wellFormed(definition));
  }
  return `sha256:${createHash("sha256")
    .update(canonical ?? "")
    .digest("hex")}`;
}

const hashes = new WeakMap<object, { definition: ToolDefinition; hash: string }>();

/**
 * The definition and hash of a listed tool object, computed once per object: the pool hands
 * out the same objects until the server's list changes, so a warm turn hashes nothing.
 */
export function hashedDefinition(tool: ListedToolLike): {
  definition: ToolDefinition;
  hash: string;
} {
  const known = hashes.get(tool);
  if (known) return known;
  const definition = toolDefinition(tool);
  const entry = { definition, hash: definitionHash(definition) };
  hashes.set(tool, entry);
  return entry;
}
