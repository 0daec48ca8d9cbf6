import { z } from "zod";

// RFC 9110 §5.6.2: token = 1*tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Names toolgate never lets a config set: hop-by-hop and framing headers (RFC 9110 §7.6.1),
 * the MCP transport's own headers, and the identity headers toolgate itself sends.
 */
const FORBIDDEN = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "host",
  "content-length",
  "expect",
  "mcp-session-id",
  "mcp-protocol-version",
  "last-event-id",
]);
const RESERVED_PREFIX = "x-toolgate-";

export function headerNameProblem(name: string): string | null {
  if (!TOKEN.test(name)) return "must be a valid HTTP header name (RFC 9110 token)";
  if (name.length > 128) return "must be at most 128 characters";
  const lower = name.toLowerCase();
  if (FORBIDDEN.has(lower)) return `cannot be set: ${lower} is managed by the HTTP connection`;
  if (lower.startsWith(RESERVED_PREFIX))
    return "cannot use the x-toolgate- prefix (identity headers)";
  return null;
}

export const headerNameSchema = z.string().superRefine((name, ctx) => {
  const problem = headerNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

// CR, LF and NUL would let a value smuggle a second header or end the header block. Beyond
// that, RFC 9110 §5.5 field values are bytes: fetch refuses any character above U+00FF (an
// emoji, most non-Latin scripts) when the request is sent, so such a value must be refused
// when it is written, not discovered at the first tool call.
export const headerValueSchema = z
  .string()
  .max(8192, "must be at most 8192 characters")
  .refine((v) => !/[\r\n\0]/.test(v), "must not contain CR, LF or NUL")
  .refine(
    (v) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v),
    "must contain only Latin-1 characters (no emoji, no control characters): HTTP header values are bytes",
  );
