import "server-only";
import type { Database } from "@/db/client";
import { createHash } from "node:crypto";
import { countRecentLoginFailures, recordAudit } from "@/db/queries/audit";
import { findUserByEmail, normaliseEmail, type UserRow } from "@/db/queries/users";
import { verifyPassword } from "./password";

/** Failed sign-ins for one email within LOCKOUT_MINUTES before further attempts are refused. */
export const MAX_FAILURES = 10;
export const LOCKOUT_MINUTES = 15;

export type CredentialsResult =
  { ok: true; user: UserRow } | { ok: false; reason: "invalid" | "disabled" | "rate_limited" };

/**
 * Checks an email and password. Unknown email, wrong password and OIDC-only accounts all
 * answer "invalid" after the same amount of work, so the answer reveals no account.
 */
export async function verifyCredentials(
  db: Database,
  email: string,
  password: string,
  via: "web" | "api",
): Promise<CredentialsResult> {
  // Throttled per email, known or not, so the throttle itself reveals no account. Keyed by a
  // hash: the audit log never holds the email someone typed.
  const emailHash = createHash("sha256").update(normaliseEmail(email)).digest("hex").slice(0, 32);
  if ((await countRecentLoginFailures(db, emailHash, LOCKOUT_MINUTES)) >= MAX_FAILURES) {
    await recordAudit(db, {
      actorId: null,
      action: "auth.login",
      targetType: "user",
      outcome: "denied",
      detail: { method: "password", via, reason: "rate_limited", email_hash: emailHash },
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
  await recordAudit(db, {
    actorId: user?.id ?? null,
    action: "auth.login",
    targetType: "user",
    targetId: user?.id ?? null,
    outcome: result.ok ? "success" : "failure",
    detail: {
      method: "password",
      via,
      email_hash: emailHash,
      ...(result.ok ? {} : { reason: result.reason }),
    },
  });
  return result;
}
