/**
 * Removes from an MCP server's answers every credential toolgate itself sent to that server
 * (docs/security.md, point 11): a server that echoes its request headers must not hand the admin's
 * API key or the user's access token to the model, the chat or the database. Pure, no I/O.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export const REDACTION_MARKER = "[redacted: credential sent to this server]";

// Shorter values cannot be told apart from ordinary text (no key generator emits them), and
// redacting every "abc" in a result would mangle it for nothing.
const MIN_SECRET_CHARS = 6;
// Below this an encoded fragment (base64 at an offset) is too short to stand for the secret.
const MIN_FRAGMENT_CHARS = 8;

export interface Redactor {
  /** The text with every known credential (and its encodings) replaced by the marker. */
  text(value: string): string;
  /** Whether any credential is known at all; false means every call is a no-op. */
  readonly active: boolean;
}

/**
 * The credential values in the headers toolgate sends: each whole value, and for
 * `<scheme> <token>` values (Bearer, Basic, Token...) the token alone, plus the decoded
 * `user:password` of Basic and its password.
 */
export function credentialValues(headers: Record<string, string>): string[] {
  const out = new Set<string>();
  for (const raw of Object.values(headers)) {
    const value = raw.trim();
    out.add(value);
    const scheme = /^([A-Za-z][\w.+-]*)\s+(\S.*)$/.exec(value);
    if (scheme?.[2] === undefined) continue;
    const token = scheme[2].trim();
    out.add(token);
    if (scheme[1]!.toLowerCase() === "basic") {
      const decoded = Buffer.from(token, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon > 0) {
        out.add(decoded);
        out.add(decoded.slice(colon + 1));
      }
    }
  }
  return [...out].filter((value) => value.length >= MIN_SECRET_CHARS);
}

function base64Variants(bytes: Buffer): string[] {
  const out: string[] = [];
  // The secret may sit at any byte offset inside a larger encoded value (a whole header
  // line, a JSON document): for each of the three alignments keep only the characters that
  // depend on the secret's bytes alone.
  for (let offset = 0; offset < 3; offset += 1) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString("base64");
    const skip = offset === 0 ? 0 : 4;
    const whole = Math.floor(padded.length / 3) * 4;
    const stable = encoded.slice(skip, whole);
    if (offset === 0) out.push(encoded, encoded.replace(/=+$/, ""));
    if (stable.length >= MIN_FRAGMENT_CHARS) out.push(stable);
  }
  return out.flatMap((b64) => [b64, b64.replace(/\+/g, "-").replace(/\//g, "_")]);
}

/** The secret as it may appear in a result: raw, JSON-escaped, URL-encoded, base64(url), hex. */
export function encodingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const hex = bytes.toString("hex");
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    // Escaped twice: a JSON document carried as a string inside another one.
    JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, "+"),
    ...base64Variants(bytes),
    hex,
    hex.toUpperCase(),
  ];
  return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_CHARS);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const NO_OP: Redactor = { text: (value) => value, active: false };

/** A redactor for these credential values (see credentialValues); identity values stay out. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const usable = secrets.filter((secret) => secret.length >= MIN_SECRET_CHARS);
  const forms = [...new Set(usable.flatMap(encodingsOf))];
  if (forms.length === 0) return NO_OP;
  // Longest first, so a whole value wins over the token inside it.
  forms.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(forms.map(escapeRegExp).join("|"), "g");
  return {
    active: true,
    text: (value) => (value.length === 0 ? value : value.replace(pattern, REDACTION_MARKER)),
  };
}

/** Redacts every string in a JSON-like value, keys included; other values are kept. */
export function redactValue(value: unknown, redactor: Redactor, depth = 0): unknown {
  if (!redactor.active) return value;
  if (typeof value === "string") return redactor.text(value);
  // Deeper than any real result; past it the value is left alone rather than recursed into.
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redactor, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[redactor.text(key)] = redactValue(item, redactor, depth + 1);
  }
  return out;
}

/**
 * A tool result with every credential removed from its text, resource contents (text and
 * blobs), structured content and metadata; error results alike.
 */
export function redactToolResult(result: CallToolResult, redactor: Redactor): CallToolResult {
  if (!redactor.active) return result;
  return redactValue(result, redactor) as CallToolResult;
}
