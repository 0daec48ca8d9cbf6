import "server-only";
import { z } from "zod";
import type { Database } from "@/db/client";
import { isDatabaseUnavailable, loggableError } from "@/db/queries/errors";
import { authenticate, type Caller } from "@/lib/auth/caller";
import { getEnv } from "@/lib/env";
import { getDb } from "@/lib/server/database";
import { ApiError, Errors, problemResponse } from "@/lib/errors";
import { nulCharacterError, validationError } from "./validation";

export const MAX_BODY_BYTES = 1024 * 1024;

type Access = "public" | "optional" | "user" | "admin";
type CallerFor<A extends Access> = A extends "user" | "admin"
  ? Caller
  : A extends "optional"
    ? Caller | null
    : null;

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<A extends Access, P, B, Q> {
  req: Request;
  db: Database;
  caller: CallerFor<A>;
  params: P;
  body: B;
  query: Q;
}

export interface RouteSpec<
  A extends Access,
  PS extends z.ZodType | undefined,
  BS extends z.ZodType | undefined,
  QS extends z.ZodType | undefined,
> {
  /** public: no credentials looked at; optional: caller may be null; user/admin: required. */
  access: A;
  params?: PS;
  body?: BS;
  query?: QS;
  handler: (ctx: RouteContext<A, Infer<PS>, Infer<BS>, Infer<QS>>) => Promise<Response>;
}

type NextRouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Same-origin check for state-changing requests. Fetch metadata first (every current browser
 * sends it), then Origin. A cookie-authenticated write with neither is refused: it cannot be
 * told apart from a forged one. Bearer-authenticated requests are exempt (the contract says
 * so): a token is no ambient credential a forged page could borrow. Anonymous writes (setup,
 * sign-in for a token) still refuse a cross-site browser, so no page can run setup for you.
 */
function assertSameOrigin(req: Request, via: Caller["via"] | undefined): void {
  if (!UNSAFE_METHODS.has(req.method) || via === "token") return;
  const site = req.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") throw Errors.csrf();
  if (site === "same-origin" || site === "none") return;
  const origin = req.headers.get("origin");
  if (origin) {
    const allowed = new Set([getEnv().appUrl, new URL(req.url).origin]);
    if (!allowed.has(origin)) throw Errors.csrf();
    return;
  }
  if (via === "session") throw Errors.csrf();
}

async function readJsonBody(req: Request): Promise<unknown> {
  const declared = req.headers.get("content-length");
  if (declared && Number(declared) > MAX_BODY_BYTES) throw Errors.tooLarge(MAX_BODY_BYTES);
  const type = req.headers.get("content-type") ?? "";
  const mediaType = type.split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json" && !mediaType.endsWith("+json")) {
    throw Errors.unsupportedMediaType();
  }
  if (!req.body) return undefined;
  // Counted while streaming: Content-Length may be absent (chunked) or lie.
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw Errors.tooLarge(MAX_BODY_BYTES);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw Errors.malformedJson();
  }
}

function parseWith<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  // Before the schema, so the answer names the field whatever the field's own rules are.
  const nul = nulCharacterError(input, prefix);
  if (nul) throw nul;
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, prefix);
  return result.data;
}

function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const field = String(result.error.issues[0]?.path[0] ?? "id");
  throw Errors.badId(field);
}

const databaseUnavailable = () =>
  Errors.unavailable(
    "database.unavailable",
    "The database is not reachable right now. Try again shortly.",
  );

function logUnexpected(req: Request, err: unknown): void {
  const url = new URL(req.url);
  console.error(`[api] ${req.method} ${url.pathname} failed:`, loggableError(err));
}

/**
 * The one way to write a route handler: authenticate → same-origin check → authorize →
 * parse params, query and body (zod, strict) → act. Authentication comes before parsing so
 * an anonymous caller learns nothing about a route's body rules.
 */
export function route<
  A extends Access,
  PS extends z.ZodType | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
  QS extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<A, PS, BS, QS>) {
  return async (req: Request, ctx?: NextRouteContext): Promise<Response> => {
    try {
      const db = await getDb().catch((err: unknown) => {
        logUnexpected(req, err);
        throw Errors.unavailable(
          "database.unavailable",
          "The database is not reachable right now.",
        );
      });
      let caller: Caller | null = null;
      if (spec.access !== "public") {
        caller = await authenticate(db, req);
        if (!caller && (spec.access === "user" || spec.access === "admin")) {
          throw Errors.authRequired();
        }
      }
      assertSameOrigin(req, caller?.via);
      if (spec.access === "admin" && caller?.role !== "admin") throw Errors.forbidden();

      const params = spec.params ? parseParams(spec.params, await ctx?.params) : undefined;
      const query = spec.query
        ? parseWith(spec.query, Object.fromEntries(new URL(req.url).searchParams), "query")
        : undefined;
      let body: unknown;
      if (spec.body) {
        body = parseWith(spec.body, (await readJsonBody(req)) ?? {});
      }
      return await spec.handler({
        req,
        db,
        caller: caller as CallerFor<A>,
        params: params as Infer<PS>,
        body: body as Infer<BS>,
        query: query as Infer<QS>,
      });
    } catch (err) {
      if (err instanceof ApiError) return problemResponse(err);
      logUnexpected(req, err);
      if (isDatabaseUnavailable(err)) return problemResponse(databaseUnavailable());
      return problemResponse(Errors.internal());
    }
  };
}

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("Cache-Control", "no-store");
  return Response.json(data, { status, headers: h });
}

/** A JSON body serialised beforehand (a cached one), answered as json() would answer it. */
export function jsonText(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
}

/** Params schema for routes whose only param is a UUID `id`. */
export const idParams = z.object({ id: z.guid() });
