// HTTP plumbing of the workspace agent: problem+json errors, capped JSON bodies, strict zod
// parsing. Self-contained on purpose: the agent runs outside Next.js and must not pull in
// the app's server-only modules.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface FieldProblem {
  field: string;
  detail: string;
}

/** Every failure a handler reports; same shape as the main app's ApiError. */
export class AgentError extends Error {
  override name = "AgentError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly validations?: FieldProblem[],
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
  });
  res.end(payload);
}

export function sendProblem(res: ServerResponse, error: AgentError): void {
  const body: { code: string; message: string; validations?: FieldProblem[] } = {
    code: error.code,
    message: error.message,
  };
  if (error.validations?.length) body.validations = error.validations;
  const payload = JSON.stringify(body);
  res.writeHead(error.status, {
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
  });
  res.end(payload);
}

/** Hashing first makes the comparison constant-time whatever the lengths. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function checkBearer(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new AgentError(
      401,
      "auth.required",
      "Send the workspace token as Authorization: Bearer.",
    );
  }
  if (!tokensEqual(match[1], token)) {
    throw new AgentError(401, "auth.invalid_token", "The workspace token is invalid.");
  }
}

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    // Drain so the connection can be reused; the body is not read.
    req.resume();
    throw new AgentError(
      415,
      "request.unsupported_media_type",
      "Send the body as application/json.",
    );
  }
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AgentError(400, "validation.malformed_json", "The body is not valid JSON.");
  }
}

function tooLarge(): AgentError {
  return new AgentError(
    413,
    "request.too_large",
    `The request body exceeds ${MAX_BODY_BYTES} bytes.`,
  );
}

function fieldName(path: readonly PropertyKey[]): string {
  const joined = path
    .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
    .join(".")
    .replace(/\.\[/g, "[");
  return joined || "body";
}

/** Same mapping as the app: unknown fields get their own code, the rest `validation.invalid`. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const unknown: FieldProblem[] = [];
  const invalid: FieldProblem[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        unknown.push({ field: fieldName([...issue.path, key]), detail: "unknown field" });
      }
    } else {
      invalid.push({ field: fieldName(issue.path), detail: issue.message });
    }
  }
  if (unknown.length > 0) {
    const names = unknown.map((u) => u.field).join(", ");
    throw new AgentError(400, "validation.unknown_field", `Unknown field: ${names}.`, unknown);
  }
  const first = invalid[0];
  const message = first ? `${first.field}: ${first.detail}` : "The request is invalid.";
  throw new AgentError(400, "validation.invalid", message, invalid);
}
