import "server-only";
import { getToken } from "next-auth/jwt";
import type { Executor } from "@/db/client";
import { findUserByTokenHash, touchApiToken } from "@/db/queries/api-tokens";
import { findUserById, type UserRow } from "@/db/queries/users";
import type { LoginType, UserRole } from "@/db/schema";
import { Errors } from "@/lib/api/errors";
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
}

function toCaller(user: UserRow, via: Caller["via"]): Caller {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    loginType: user.loginType,
    via,
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

/** The user id in a valid session cookie, or null. Signature and expiry are checked here. */
export async function sessionUserId(cookieHeader: string | null): Promise<string | null> {
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
    const uid = token?.uid ?? token?.sub;
    if (typeof uid === "string") return uid;
  }
  return null;
}

/**
 * Who is calling: an API token (Authorization: Bearer) or a session cookie. The user row is
 * read on every request, so a role change or a disable applies to the very next request.
 * Returns null when the request carries no credentials; throws when it carries bad ones.
 */
export async function authenticate(db: Executor, req: Request): Promise<Caller | null> {
  const authorization = req.headers.get("authorization");
  if (authorization) return fromBearer(db, authorization);
  const uid = await sessionUserId(req.headers.get("cookie"));
  if (!uid) return null;
  const user = await findUserById(db, uid);
  if (!user) return null;
  if (user.disabled) throw Errors.accountDisabled();
  return toCaller(user, "session");
}
