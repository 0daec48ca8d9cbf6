import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { findOidcAccount } from "@/db/queries/oidc-accounts";
import { findUserByEmail } from "@/db/queries/users";
import { auditEvents } from "@/db/schema";
import { openSecret, secretAad } from "@/lib/crypto/secrets";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { linkOidcSignIn, type OidcSignIn } from "./oidc-link";

const t = withTestDatabase();
const ISSUER = "https://idp.example";

const signIn = (over: Partial<OidcSignIn> = {}): OidcSignIn => ({
  issuer: ISSUER,
  subject: "sub-1",
  email: "oidc@example.com",
  emailVerified: true,
  name: "Olivia Oidc",
  accessToken: "access-1",
  refreshToken: "refresh-1",
  idToken: "id-1",
  expiresAt: Math.floor(Date.now() / 1000) + 3600,
  scope: "openid email",
  ...over,
});

describe("OIDC sign-in linking", () => {
  it("creates a member and stores the provider's tokens sealed to the row", async () => {
    const result = await linkOidcSignIn(t.db, signIn());
    expect(result.ok && result.created).toBe(true);
    if (!result.ok) return;
    expect(result.user).toMatchObject({ role: "member", loginType: "oidc", passwordHash: null });
    const account = (await findOidcAccount(t.db, ISSUER, "sub-1"))!;
    expect(account.accessTokenEnc).toMatch(/^v1\./);
    expect(JSON.stringify(account)).not.toContain("access-1");
    expect(JSON.stringify(account)).not.toContain("refresh-1");
    expect(
      openSecret(
        account.accessTokenEnc!,
        secretAad("oidc_accounts", "access_token_enc", account.id),
      ),
    ).toBe("access-1");
    expect(
      openSecret(
        account.refreshTokenEnc!,
        secretAad("oidc_accounts", "refresh_token_enc", account.id),
      ),
    ).toBe("refresh-1");
  });

  it("updates the tokens of a returning user without creating another", async () => {
    const again = await linkOidcSignIn(
      t.db,
      signIn({ accessToken: "access-2", email: "changed@example.com" }),
    );
    expect(again.ok && !again.created).toBe(true);
    const account = (await findOidcAccount(t.db, ISSUER, "sub-1"))!;
    expect(
      openSecret(
        account.accessTokenEnc!,
        secretAad("oidc_accounts", "access_token_enc", account.id),
      ),
    ).toBe("access-2");
    expect(await findUserByEmail(t.db, "changed@example.com")).toBeUndefined();
  });

  it("links an existing password account only for a verified email", async () => {
    const { user } = await seedUser(t.db, { email: "pat@example.com" });
    const unverified = await linkOidcSignIn(
      t.db,
      signIn({ subject: "sub-2", email: "pat@example.com", emailVerified: false }),
    );
    expect(unverified).toEqual({ ok: false, reason: "email_unverified" });
    expect(await findOidcAccount(t.db, ISSUER, "sub-2")).toBeUndefined();

    const verified = await linkOidcSignIn(
      t.db,
      signIn({ subject: "sub-2", email: "pat@example.com" }),
    );
    expect(verified.ok && verified.user.id).toBe(user.id);
    expect(verified.ok && verified.user.loginType).toBe("password");
    const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    expect(audit.map((a) => a.action)).toContain("user.link_oidc");
    expect(JSON.stringify(audit)).not.toContain("access-1");
  });

  it("refuses disabled accounts and sign-ins without an email", async () => {
    const { user } = await seedUser(t.db, { email: "gone@example.com" });
    const { updateUser } = await import("@/db/queries/users");
    await updateUser(t.db, user.id, { disabled: true });
    expect(
      await linkOidcSignIn(t.db, signIn({ subject: "sub-3", email: "gone@example.com" })),
    ).toEqual({
      ok: false,
      reason: "disabled",
    });
    expect(await linkOidcSignIn(t.db, signIn({ subject: "sub-4", email: null }))).toEqual({
      ok: false,
      reason: "no_email",
    });
  });
});
