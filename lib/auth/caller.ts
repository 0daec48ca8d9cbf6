import "server-only";
import { getToken } from "next-auth/jwt";
import type { Executor } from "@/db/client";
import { findUserByTokenHash, touchApiToken } from "@/db/queries/api-tokens";
import { findSessionUser } from "@/db/queries/sessions";
import type { UserRow } from "@/db/queries/users";
import type { LoginType, UserRole } from "@/db/schema";
import { Errors } from "@/lib/errors";
import { hashApiToken } from "./api-token";
import { getAuthSecret, SECURE_SESSION_COOKIE, SESSION_COOKIE } from "./secret";

export interface Caller {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  loginType: LoginType;
  /** How this request proved who it is: cookie-authenticated writes need a same-origin check. */
  via: "session" | "token";
  /** The session's id when `via` is "session" (a password change keeps this one alive). */
  sessionId?: string;
}

export function toCaller(user: UserRow, via: Caller["via"], sessionId?: string): Caller {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    loginType: user.loginType,
    via,
    ...(sessionId ? { sessionId } : {}),
  };
}

// last_used_at is informative; writing it on every request would turn reads into writes.
const TOUCH_INTERVAL_MS = 60_000;

async function fromBearer(db: Executor, header: string): Promise<Caller> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw Errors.invalidToken();
  const found = await findUserByTokenHash(db, hashApiToken(match[1]!));
  if (!found) throw Errors.invalidToken();
  if (found.user.disabled) throw Errors.accountDisabled();
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await touchApiToken(db, found.tokenId);
  }
  return toCaller(found.user, "token");
}

export interface SessionClaims {
  userId: string;
  sessionId: string;
}

/**
 * The user and session ids in a validly signed, unexpired session cookie, or null. Whether the
 * session is still live is a database question: see sessionUser.
 */
export async function sessionClaims(cookieHeader: string | null): Promise<SessionClaims | null> {
  if (!cookieHeader) return null;
  const secret = getAuthSecret();
  for (const [cookieName, secureCookie] of [
    [SECURE_SESSION_COOKIE, true],
    [SESSION_COOKIE, false],
  ] as const) {
    if (!cookieHeader.includes(cookieName)) continue;
    // Only the cookie header is passed, so getToken cannot pick up an Authorization header.
    const token = await getToken({
      req: { headers: { cookie: cookieHeader } },
      secret,
      secureCookie,
      cookieName,
      salt: cookieName,
    }).catch(() => null);
    const uid = token?.uid;
    const sid = token?.sid;
    // A cookie without a session id predates server-side sessions: it cannot be revoked, so
    // it is not honoured.
    if (typeof uid === "string" && typeof sid === "string") return { userId: uid, sessionId: sid };
  }
  return null;
}

/**
 * The user behind a session cookie, read with the session row in one query, so a revoked
 * session (sign-out, password change, disable, role change) fails on its very next request.
 */
export async function sessionUser(
  db: Executor,
  cookieHeader: string | null,
): Promise<{ user: UserRow; sessionId: string } | null> {
  const claims = await sessionClaims(cookieHeader);
  if (!claims || !UUID.test(claims.sessionId) || !UUID.test(claims.userId)) return null;
  const user = await findSessionUser(db, claims.sessionId, claims.userId);
  return user ? { user, sessionId: claims.sessionId } : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who is calling: an API token (Authorization: Bearer) or a session cookie. The user row is
 * read on every request, so a role change or a disable applies to the very next request.
 * Returns null when the request carries no credentials; throws when it carries bad ones.
 */
export async function authenticate(db: Executor, req: Request): Promise<Caller | null> {
  const authorization = req.headers.get("authorization");
  if (authorization) return fromBearer(db, authorization);
  const found = await sessionUser(db, req.headers.get("cookie"));
  if (!found) return null;
  if (found.user.disabled) throw Errors.accountDisabled();
  return toCaller(found.user, "session", found.sessionId);
}
