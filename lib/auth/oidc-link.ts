import "server-only";
import { randomUUID } from "node:crypto";
import type { Database } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { findOidcAccount, insertOidcAccount, updateOidcTokens } from "@/db/queries/oidc-accounts";
import { findUserByEmail, findUserById, insertUser, type UserRow } from "@/db/queries/users";
import { sealSecret, secretAad } from "@/lib/crypto/secrets";

export interface OidcSignIn {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean | undefined;
  name: string | null;
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  /** Seconds since the epoch, as the token endpoint's expires_in turned absolute. */
  expiresAt?: number;
  scope?: string;
}

export type OidcLinkResult =
  | { ok: true; user: UserRow; created: boolean }
  | { ok: false; reason: "disabled" | "no_email" | "email_unverified" };

function sealedTokens(accountId: string, input: OidcSignIn) {
  const seal = (column: string, value: string | undefined) =>
    value ? sealSecret(value, secretAad("oidc_accounts", column, accountId)) : null;
  return {
    accessTokenEnc: seal("access_token_enc", input.accessToken),
    refreshTokenEnc: seal("refresh_token_enc", input.refreshToken),
    idTokenEnc: seal("id_token_enc", input.idToken),
    expiresAt: input.expiresAt ? new Date(input.expiresAt * 1000) : null,
    scope: input.scope ?? null,
  };
}

/**
 * Finds or creates the user behind an OIDC sign-in and stores the provider's tokens sealed.
 * An existing password account is linked by email only when the provider says the email is
 * verified: otherwise anyone able to register that address at the provider could take it over.
 */
export async function linkOidcSignIn(db: Database, input: OidcSignIn): Promise<OidcLinkResult> {
  return db.transaction(async (tx) => {
    const existing = await findOidcAccount(tx, input.issuer, input.subject);
    let user: UserRow | undefined;
    let created = false;
    if (existing) {
      user = await findUserById(tx, existing.userId);
      if (!user) throw new Error("oidc account without user");
      if (user.disabled) return { ok: false, reason: "disabled" } as const;
      await updateOidcTokens(tx, existing.id, sealedTokens(existing.id, input));
    } else {
      if (!input.email) return { ok: false, reason: "no_email" } as const;
      user = await findUserByEmail(tx, input.email);
      if (user && input.emailVerified !== true) {
        return { ok: false, reason: "email_unverified" } as const;
      }
      if (user?.disabled) return { ok: false, reason: "disabled" } as const;
      if (!user) {
        user = await insertUser(tx, {
          email: input.email,
          name: input.name?.trim() || input.email,
          passwordHash: null,
          role: "member",
          loginType: "oidc",
        });
        created = true;
      }
      const id = randomUUID();
      await insertOidcAccount(tx, {
        id,
        userId: user.id,
        issuer: input.issuer,
        subject: input.subject,
        ...sealedTokens(id, input),
      });
      await recordAudit(tx, {
        actorId: user.id,
        action: created ? "user.create" : "user.link_oidc",
        targetType: "user",
        targetId: user.id,
        detail: { method: "oidc", issuer: input.issuer },
      });
    }
    await recordAudit(tx, {
      actorId: user.id,
      action: "auth.login",
      targetType: "user",
      targetId: user.id,
      detail: { method: "oidc", via: "web" },
    });
    return { ok: true, user, created };
  });
}
