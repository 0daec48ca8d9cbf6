import "server-only";
import type { Database } from "@/db/client";
import { createHash } from "node:crypto";
import { recordAudit } from "@/db/queries/audit";
import {
  clearLoginAttempts,
  returnLoginAttempt,
  takeLoginAttempt,
} from "@/db/queries/login-throttle";
import { findUserByEmail, normaliseEmail, type UserRow } from "@/db/queries/users";
import { verifyPassword } from "./password";

/**
 * Password attempts are throttled per (email, source address): 10 within 15 minutes, then that
 * source gets 429 for that email until the window ends. Someone guessing at a victim's
 * password from elsewhere does not lock the victim out. Because a source can be forged or
 * rotated, every email also has a ceiling across all sources (100 per window), which bounds
 * guessing by a botnet at the price that such an attacker can hold the account's password
 * sign-in for the rest of the window (OIDC and API tokens keep working).
 */
export const MAX_FAILURES = 10;
export const MAX_FAILURES_PER_EMAIL = 100;
export const LOCKOUT_MINUTES = 15;

export type CredentialsResult =
  { ok: true; user: UserRow } | { ok: false; reason: "invalid" | "disabled" | "rate_limited" };

export interface AttemptContext {
  via: "web" | "api" | "password_change";
  /** The client's address (lib/auth/client-address.ts). */
  source: string;
}

/** Keyed by a hash: neither the throttle table nor the audit log holds the email typed. */
export function emailHashOf(email: string): string {
  return createHash("sha256").update(normaliseEmail(email)).digest("hex").slice(0, 32);
}

/**
 * Checks an email and password. Unknown email, wrong password and OIDC-only accounts all
 * answer "invalid" after the same amount of work, so the answer reveals no account. An
 * attempt is counted before the password is checked, so parallel guesses cannot all pass a
 * check made before any of them failed; a success gives its attempt back.
 */
export async function verifyCredentials(
  db: Database,
  email: string,
  password: string,
  ctx: AttemptContext,
): Promise<CredentialsResult> {
  const emailHash = emailHashOf(email);
  const pairKey = `pw:${emailHash}:${ctx.source}`;
  const emailKey = `pw:${emailHash}`;
  const admitted =
    (await takeLoginAttempt(db, pairKey, MAX_FAILURES, LOCKOUT_MINUTES)) &&
    (await takeLoginAttempt(db, emailKey, MAX_FAILURES_PER_EMAIL, LOCKOUT_MINUTES));
  if (!admitted) {
    await recordAudit(db, {
      actorId: null,
      action: "auth.login",
      targetType: "user",
      outcome: "denied",
      detail: {
        method: "password",
        via: ctx.via,
        reason: "rate_limited",
        email_hash: emailHash,
        source: ctx.source,
      },
    });
    return { ok: false, reason: "rate_limited" };
  }
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash, password);
  const result: CredentialsResult = !ok
    ? { ok: false, reason: "invalid" }
    : user!.disabled
      ? { ok: false, reason: "disabled" }
      : { ok: true, user: user! };
  if (ok) {
    // The right password was no guess: this source starts afresh, and the email's ceiling
    // gets its attempt back.
    await clearLoginAttempts(db, pairKey);
    await returnLoginAttempt(db, emailKey);
  }
  await recordAudit(db, {
    actorId: user?.id ?? null,
    action: "auth.login",
    targetType: "user",
    targetId: user?.id ?? null,
    outcome: result.ok ? "success" : "failure",
    detail: {
      method: "password",
      via: ctx.via,
      email_hash: emailHash,
      source: ctx.source,
      ...(result.ok ? {} : { reason: result.reason }),
    },
  });
  return result;
}
