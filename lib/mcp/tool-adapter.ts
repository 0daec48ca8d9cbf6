/**
 * Pure conversions between MCP tool definitions/results and what the model and the UI get:
 * size caps, the `model_intent` wrapper (seeds 004) and result content conversion. No I/O.
 */
import type { ToolResultOutput } from "@ai-sdk/provider-utils";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ResourceCollector, type DisplayResource } from "./tool-resources";

export const MAX_TOOL_DESCRIPTION_CHARS = 2_000;
export const MAX_INPUT_SCHEMA_BYTES = 32_000;
export const MAX_RESULT_CHARS = 100_000;
/** Images at most this large (decoded) keep their data for the UI and storage. */
export const MAX_DISPLAY_IMAGE_BYTES = 256 * 1024;
/** Images larger than this (decoded) reach the model as a placeholder; providers cap near 5 MB. */
export const MAX_MODEL_IMAGE_BYTES = 3_750_000;
export const MAX_MODEL_INTENT_CHARS = 200;

export const MODEL_INTENT_DESCRIPTION =
  "A few words in the present tense telling the user what this call does, shown as its " +
  'label, e.g. "Searching the docs for SSO setup". Put the tool\'s own arguments in ' +
  '"properties".';

const TRUNCATED_MARKER = "… [truncated]";

type JsonObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Cuts at `max` UTF-16 units without splitting a surrogate pair. */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one 4-byte character.
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

// ---------------------------------------------------------------------------
// Descriptions

/** Trims and caps a tool description at MAX_TOOL_DESCRIPTION_CHARS, marker included. */
export function capDescription(text: string | undefined): string {
  const trimmed = (text ?? "").trim();
  if (trimmed.length <= MAX_TOOL_DESCRIPTION_CHARS) return trimmed;
  return (
    cutAt(trimmed, MAX_TOOL_DESCRIPTION_CHARS - TRUNCATED_MARKER.length).trimEnd() +
    TRUNCATED_MARKER
  );
}

// ---------------------------------------------------------------------------
// Input schemas

// Keywords whose value is a schema, an array of schemas, or a map of name → schema. Only these
// are walked, so a property that happens to be called "description" is never touched.
const SCHEMA_KEYWORDS = [
  "additionalProperties",
  "items",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "additionalItems",
];
const SCHEMA_ARRAY_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
const SCHEMA_MAP_KEYWORDS = [
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
];
// Annotations a model can do without; dropped first when a schema is too large.
const ANNOTATION_KEYWORDS = ["description", "title", "examples", "$comment", "deprecated"];

function mapSchema(schema: unknown, fn: (node: JsonObject) => JsonObject): unknown {
  if (!isPlainObject(schema)) return schema;
  const out = fn({ ...schema });
  for (const keyword of SCHEMA_KEYWORDS) {
    if (isPlainObject(out[keyword])) out[keyword] = mapSchema(out[keyword], fn);
  }
  for (const keyword of SCHEMA_ARRAY_KEYWORDS) {
    const value = out[keyword];
    if (Array.isArray(value)) out[keyword] = value.map((item) => mapSchema(item, fn));
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const value = out[keyword];
    if (!isPlainObject(value)) continue;
    out[keyword] = Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, mapSchema(item, fn)]),
    );
  }
  return out;
}

function withoutAnnotations(schema: JsonObject): JsonObject {
  return mapSchema(schema, (node) => {
    for (const keyword of ANNOTATION_KEYWORDS) delete node[keyword];
    return node;
  }) as JsonObject;
}

/** Re-points `#...` references at the schema's new place inside the model_intent wrapper. */
function rebaseRefs(schema: JsonObject, base: string): JsonObject {
  return mapSchema(schema, (node) => {
    if (typeof node.$ref === "string" && node.$ref.startsWith("#")) {
      node.$ref = base + node.$ref.slice(1);
    }
    return node;
  }) as JsonObject;
}

function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

const OPEN_OBJECT_SCHEMA: JsonObject = {
  type: "object",
  properties: {},
  additionalProperties: true,
};

/**
 * The schema as given when it fits, else without annotations, else an open object. A root
 * that is not an object schema (MCP requires one) would make providers refuse the whole
 * request, so it is replaced by the open object too.
 */
function boundedInputSchema(inputSchema: unknown): { schema: JsonObject; truncated: boolean } {
  if (!isPlainObject(inputSchema)) return { schema: { ...OPEN_OBJECT_SCHEMA }, truncated: true };
  if (inputSchema.type !== undefined && inputSchema.type !== "object") {
    return { schema: { ...OPEN_OBJECT_SCHEMA }, truncated: true };
  }
  const normalized: JsonObject = {
    ...inputSchema,
    type: "object",
    ...(!isPlainObject(inputSchema.properties) && { properties: {} }),
  };
  const json = safeStringify(normalized);
  if (json !== undefined && utf8Bytes(json) <= MAX_INPUT_SCHEMA_BYTES) {
    return { schema: normalized, truncated: false };
  }
  const stripped = withoutAnnotations(normalized);
  const strippedJson = safeStringify(stripped);
  if (strippedJson !== undefined && utf8Bytes(strippedJson) <= MAX_INPUT_SCHEMA_BYTES) {
    return { schema: stripped, truncated: true };
  }
  return {
    schema: {
      ...OPEN_OBJECT_SCHEMA,
      description:
        "The tool's input schema was too large to include. Pass the arguments its description asks for.",
    },
    truncated: true,
  };
}

/**
 * The input schema offered to the model, capped at MAX_INPUT_SCHEMA_BYTES (the tool's own
 * schema is measured). With `modelIntent` the arguments move under `properties` beside a
 * required `model_intent` label, as in the seeds.
 */
export function modelFacingSchema(
  inputSchema: Record<string, unknown>,
  modelIntent: boolean,
): { schema: Record<string, unknown>; truncated: boolean } {
  const { schema, truncated } = boundedInputSchema(inputSchema);
  if (!modelIntent) return { schema, truncated };
  const { $schema, ...inner } = schema;
  return {
    schema: {
      ...($schema !== undefined && { $schema }),
      type: "object",
      properties: {
        model_intent: { type: "string", description: MODEL_INTENT_DESCRIPTION },
        properties: rebaseRefs(inner, "#/properties/properties"),
      },
      required: ["model_intent", "properties"],
      additionalProperties: false,
    },
    truncated,
  };
}

// ---------------------------------------------------------------------------
// Tool input

export type UnwrapResult =
  { ok: true; args: Record<string, unknown>; intent?: string } | { ok: false; error: string };

const WRAPPED_EXAMPLE = '{"model_intent": "Searching the docs", "properties": { ...arguments }}';

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function cleanIntent(value: string): string | undefined {
  const oneLine = value.replace(/\s+/gu, " ").trim();
  if (oneLine === "") return undefined;
  if (oneLine.length <= MAX_MODEL_INTENT_CHARS) return oneLine;
  return `${cutAt(oneLine, MAX_MODEL_INTENT_CHARS - 1).trimEnd()}…`;
}

/**
 * The arguments to send to the MCP server, from what the model produced. With `modelIntent`
 * it accepts the wrapped form `{model_intent, properties: {...}}` (properties may also be a
 * JSON string of an object) and the flat form `{model_intent, ...args}`; keys beside a
 * wrapped `properties` are merged under it. `model_intent` never reaches the server. Never
 * throws: malformed input comes back as an error message for the model.
 */
export function unwrapToolInput(input: unknown, modelIntent: boolean): UnwrapResult {
  if (!isPlainObject(input)) {
    return {
      ok: false,
      error: `Invalid tool input: expected a JSON object of arguments, got ${describeType(input)}.`,
    };
  }
  if (!modelIntent) return { ok: true, args: { ...input } };

  const { model_intent: rawIntent, ...rest } = input;
  if (rawIntent !== undefined && typeof rawIntent !== "string") {
    return {
      ok: false,
      error: `Invalid tool input: "model_intent" must be a string (a few words describing the call), got ${describeType(rawIntent)}. Expected ${WRAPPED_EXAMPLE}.`,
    };
  }
  const intent = rawIntent === undefined ? undefined : cleanIntent(rawIntent);
  const withIntent = (args: JsonObject): UnwrapResult =>
    intent === undefined ? { ok: true, args } : { ok: true, args, intent };

  if (!("properties" in rest)) return withIntent(rest);

  let wrapped: unknown = rest.properties;
  if (typeof wrapped === "string") {
    try {
      wrapped = JSON.parse(wrapped);
    } catch {
      // Reported below as a string that is not an object.
    }
  }
  if (!isPlainObject(wrapped)) {
    return {
      ok: false,
      error: `Invalid tool input: "properties" must be an object holding the tool's arguments, got ${describeType(rest.properties)}. Expected ${WRAPPED_EXAMPLE}.`,
    };
  }
  const { properties: _wrapper, ...beside } = rest;
  return withIntent({ ...beside, ...wrapped });
}

// ---------------------------------------------------------------------------
// Results

export interface DisplayImage {
  mimeType: string;
  bytes: number;
  /** Base64, only when the image is at most MAX_DISPLAY_IMAGE_BYTES. */
  data?: string;
}

export interface ConvertedToolResult {
  isError: boolean;
  modelOutput: ToolResultOutput;
  display: {
    text: string;
    images?: DisplayImage[];
    /** Links and embedded resources, for the chat's cards (lib/mcp/tool-resources.ts). */
    resources?: DisplayResource[];
    structured?: unknown;
  };
}

export interface ConvertToolResultOptions {
  /**
   * Whether images go to the model as image parts. Turn off for providers that cannot take
   * images in tool results (the OpenAI-compatible provider serializes them as JSON text).
   */
  includeImages?: boolean;
}

type ModelContentPart = Extract<ToolResultOutput, { type: "content" }>["value"][number];

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64Bytes(data: string): number | undefined {
  const compact = data.replace(/\s+/g, "");
  if (compact.length % 4 === 1 || !BASE64.test(compact)) return undefined;
  const padding = compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0;
  return Math.floor((compact.length * 3) / 4) - padding;
}

function formatBytes(bytes: number): string {
  return `${bytes} bytes`;
}

function capResultText(text: string): string {
  if (text.length <= MAX_RESULT_CHARS) return text;
  const kept = cutAt(text, MAX_RESULT_CHARS);
  return `${kept}\n\n[truncated: ${text.length - kept.length} of ${text.length} characters omitted]`;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

function sameJson(text: string, value: unknown): boolean {
  const start = text.trimStart()[0];
  if (start !== "{" && start !== "[") return false;
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

/**
 * Converts a CallToolResult for the model (text, with images as media parts when allowed)
 * and for the UI/storage (text, image metadata, structured content). The text is capped at
 * MAX_RESULT_CHARS with a marker saying how much was cut. Never throws.
 */
export function convertToolResult(
  result: CallToolResult,
  options: ConvertToolResultOptions = {},
): ConvertedToolResult {
  const includeImages = options.includeImages ?? true;
  const isError = result.isError === true;
  const content: unknown[] = Array.isArray(result.content) ? result.content : [];
  const texts: string[] = [];
  const images: DisplayImage[] = [];
  const modelImages: ModelContentPart[] = [];
  const resources = new ResourceCollector();

  const addImage = (data: unknown, mimeType: unknown, label: string) => {
    const mime = stringOr(mimeType, "application/octet-stream");
    const bytes = typeof data === "string" ? base64Bytes(data) : undefined;
    if (bytes === undefined) {
      texts.push(`[${label} ${mime} with invalid data omitted]`);
      return;
    }
    images.push({
      mimeType: mime,
      bytes,
      ...(bytes <= MAX_DISPLAY_IMAGE_BYTES && { data: data as string }),
    });
    if (includeImages && bytes <= MAX_MODEL_IMAGE_BYTES) {
      modelImages.push({
        type: "image-data",
        data: (data as string).replace(/\s+/g, ""),
        mediaType: mime,
      });
      texts.push(`[${label} ${mime}, ${formatBytes(bytes)}, attached]`);
    } else {
      const why = includeImages ? "too large to attach" : "not shown to the model";
      texts.push(`[${label} ${mime}, ${formatBytes(bytes)}, ${why}]`);
    }
  };

  for (const part of content) {
    if (!isPlainObject(part)) continue;
    switch (part.type) {
      case "text":
        texts.push(stringOr(part.text, ""));
        break;
      case "image":
        addImage(part.data, part.mimeType, "image");
        break;
      case "audio": {
        const bytes = typeof part.data === "string" ? base64Bytes(part.data) : undefined;
        const size = bytes === undefined ? "invalid data" : formatBytes(bytes);
        texts.push(`[audio ${stringOr(part.mimeType, "audio")}, ${size}]`);
        break;
      }
      case "resource": {
        const resource = isPlainObject(part.resource) ? part.resource : {};
        const uri = stringOr(resource.uri, "(no uri)");
        const mime = stringOr(resource.mimeType, "");
        if (typeof resource.text === "string") {
          texts.push(`Resource ${uri}${mime === "" ? "" : ` (${mime})`}:\n${resource.text}`);
          resources.text(resource, resource.text);
        } else if (typeof resource.blob === "string" && mime.startsWith("image/")) {
          addImage(resource.blob, mime, `image resource ${uri},`);
        } else {
          const bytes = typeof resource.blob === "string" ? base64Bytes(resource.blob) : undefined;
          const size = bytes === undefined ? "invalid data" : formatBytes(bytes);
          resources.blob(resource, bytes);
          texts.push(`[binary resource ${uri}, ${mime === "" ? "unknown type" : mime}, ${size}]`);
        }
        break;
      }
      case "resource_link":
        texts.push(resources.link(part));
        break;
      default:
        texts.push(`[unsupported content type ${stringOr(part.type, "unknown")}]`);
    }
  }

  const structured = result.structuredContent;
  let structuredForDisplay: unknown;
  if (structured !== undefined) {
    const json = safeStringify(structured) ?? "null";
    // Servers are asked to mirror structured content as text; it is added only when missing.
    if (!texts.some((text) => sameJson(text, structured))) {
      texts.push(texts.length === 0 ? json : `Structured content:\n${json}`);
    }
    if (json.length <= MAX_RESULT_CHARS) structuredForDisplay = structured;
  }

  const text = capResultText(texts.join("\n\n"));
  const modelText =
    text === "" ? (isError ? "The tool failed without a message." : "(no output)") : text;

  let modelOutput: ToolResultOutput;
  if (isError) modelOutput = { type: "error-text", value: modelText };
  else if (modelImages.length > 0) {
    modelOutput = { type: "content", value: [{ type: "text", text: modelText }, ...modelImages] };
  } else modelOutput = { type: "text", value: modelText };

  return {
    isError,
    modelOutput,
    display: {
      text,
      ...(images.length > 0 && { images }),
      ...(resources.resources.length > 0 && { resources: resources.resources }),
      ...(structuredForDisplay !== undefined && { structured: structuredForDisplay }),
    },
  };
}
