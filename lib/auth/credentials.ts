import "server-only";
import type { Database } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { findUserByEmail, type UserRow } from "@/db/queries/users";
import { verifyPassword } from "./password";

export type CredentialsResult =
  { ok: true; user: UserRow } | { ok: false; reason: "invalid" | "disabled" };

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
    detail: { method: "password", via, ...(result.ok ? {} : { reason: result.reason }) },
  });
  return result;
}
