import "server-only";

import { findEgressError, getDefaultGuardedFetch, type EgressError } from "@/lib/net/egress";

/** Each OAuth request (metadata, registration, token, revocation) gets this long. */
export const OAUTH_REQUEST_TIMEOUT_MS = 10_000;
/** Metadata and token responses are small; a larger body is refused, not buffered. */
export const MAX_OAUTH_BODY_BYTES = 256 * 1024;

export interface OAuthHttpOptions {
  /** Defaults to the egress-guarded fetch (docs/security.md, point 3). */
  fetch?: typeof fetch;
  /** Cancels the whole operation (e.g. a discovery budget). */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface OAuthResponse {
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

/**
 * The request could not be completed: the host was unreachable, timed out, answered too much,
 * or the egress guard refused it (`egress` set). Messages name hosts, never paths or bodies.
 */
export class OAuthNetworkError extends Error {
  override readonly name = "OAuthNetworkError";
  constructor(
    message: string,
    readonly egress?: EgressError,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function errnoOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current != null && typeof current === "object"; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z_]{3,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function hostOf(url: string): string {
  return URL.parse(url)?.host ?? "an invalid URL";
}

async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new RangeError(`response larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * One outbound OAuth request through the egress guard, with a timeout and a body cap.
 * Throws OAuthNetworkError when no complete response arrived; any HTTP status is returned.
 */
export async function oauthRequest(
  url: string,
  init: RequestInit,
  options: OAuthHttpOptions = {},
): Promise<OAuthResponse> {
  const fetchFn = options.fetch ?? getDefaultGuardedFetch();
  const timeoutMs = options.timeoutMs ?? OAUTH_REQUEST_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetchFn(url, { ...init, signal });
    const text = await readLimited(response, MAX_OAUTH_BODY_BYTES);
    return { url, status: response.status, headers: response.headers, text };
  } catch (error) {
    const egress = findEgressError(error);
    if (egress) throw new OAuthNetworkError(egress.message, egress, { cause: error });
    if (timeout.aborted) {
      throw new OAuthNetworkError(
        `${hostOf(url)} did not answer within ${timeoutMs / 1000} s`,
        undefined,
        { cause: error },
      );
    }
    if (options.signal?.aborted) {
      throw new OAuthNetworkError("the request was cancelled", undefined, { cause: error });
    }
    if (error instanceof RangeError) {
      throw new OAuthNetworkError(`${hostOf(url)} answered with an oversized body`, undefined, {
        cause: error,
      });
    }
    const code = errnoOf(error);
    throw new OAuthNetworkError(
      `${hostOf(url)} could not be reached${code ? ` (${code})` : ""}`,
      undefined,
      { cause: error },
    );
  }
}

/** Parses a JSON object body; undefined when the body is not a JSON object. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** An absolute http(s) URL without credentials or fragment, or undefined. */
export function httpUrl(value: unknown): URL | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const url = URL.parse(value);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) return undefined;
  if (url.username || url.password || url.hash) return undefined;
  return url;
}

export function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === "string")
    ? (value as string[])
    : undefined;
}

/**
 * An OAuth error code from an error response (RFC 6749 §5.2, RFC 7591 §3.2.2), only when it
 * has the registered shape: upstream free text (error_description) is never shown.
 */
export function oauthErrorCode(body: Record<string, unknown> | undefined): string | undefined {
  const code = body?.["error"];
  return typeof code === "string" && /^[a-z0-9_]{1,64}$/.test(code) ? code : undefined;
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 §2.3.1, Appendix B). */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
