import { encode } from "next-auth/jwt";
import { insertSession } from "@/db/queries/sessions";
import { getAuthSecret, SESSION_COOKIE } from "@/lib/auth/secret";
import { getDb } from "@/lib/server/database";

export const ORIGIN = "http://toolgate.test";

type Handler = (
  req: Request,
  ctx: { params: Promise<Record<string, string>> },
) => Response | Promise<Response>;

export interface CallOptions {
  method?: string;
  path?: string;
  params?: Record<string, string>;
  /** A JSON value, or a raw string sent as is. */
  body?: unknown;
  token?: string;
  /** A session cookie value (see sessionCookie). */
  cookie?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls a route handler the way Next.js would, with a real Request. */
export async function call<T = any>(
  handler: Handler,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  if (options.cookie) headers.set("cookie", options.cookie);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const req = new Request(`${ORIGIN}${options.path ?? "/api/test"}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
  const res = await handler(req, { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  return {
    status: res.status,
    headers: res.headers,
    body: (text && type.includes("json") ? JSON.parse(text) : text) as T,
  };
}

/** A session cookie as next-auth would set it after sign-in, with its server-side session. */
export async function sessionCookie(userId: string): Promise<string> {
  const sid = await insertSession(await getDb(), userId, 3600);
  const value = await encode({
    token: { uid: userId, sub: userId, sid },
    secret: getAuthSecret(),
    salt: SESSION_COOKIE,
  });
  return `${SESSION_COOKIE}=${value}`;
}
