import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { insertOidcAccount } from "@/db/queries/oidc-accounts";
import { oidcAccounts } from "@/db/schema";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { envelopeKeyId, openWith, sealWith, SecretDecryptError } from "./envelope";
import { assertKeysCoverStoredSecrets } from "./key-check";
import { KeyRingError, parseKeyRing } from "./keyring";
import { rotateSecrets } from "./rotate";
import { getKeyRing, openSecret, sealSecret, secretAad } from "./secrets";

const newKey = () => randomBytes(32).toString("base64");

describe("key ring", () => {
  it("parses keys newest first and rejects bad entries", () => {
    const a = newKey();
    const b = newKey();
    const ring = parseKeyRing(` ${a} , ${b} `);
    expect(ring.keys.size).toBe(2);
    expect(ring.primary.key.equals(Buffer.from(a, "base64"))).toBe(true);
    expect(() => parseKeyRing("")).toThrow(KeyRingError);
    expect(() => parseKeyRing(randomBytes(16).toString("base64"))).toThrow(/32/);
    expect(() => parseKeyRing("not base64!")).toThrow(/entry 1/);
    expect(() => parseKeyRing(`${a},${a}`)).toThrow(/repeats/);
  });
});

describe("envelope", () => {
  const ring = parseKeyRing(newKey());

  it("round-trips and never contains the plaintext", () => {
    const sealed = sealWith(ring, "s3cret-value", "t.c:1");
    expect(sealed).not.toContain("s3cret");
    expect(envelopeKeyId(sealed)).toBe(ring.primary.id);
    expect(openWith(ring, sealed, "t.c:1")).toBe("s3cret-value");
    expect(sealWith(ring, "s3cret-value", "t.c:1")).not.toBe(sealed);
  });

  it("refuses another row's associated data, tampering and unknown keys", () => {
    const sealed = sealWith(ring, "value", "t.c:1");
    expect(() => openWith(ring, sealed, "t.c:2")).toThrow(SecretDecryptError);
    const [v, kid, body] = sealed.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[flipped.length - 20]! ^= 1;
    expect(() => openWith(ring, `${v}.${kid}.${flipped.toString("base64url")}`, "t.c:1")).toThrow(
      SecretDecryptError,
    );
    expect(() => openWith(parseKeyRing(newKey()), sealed, "t.c:1")).toThrow(KeyRingError);
    expect(() => openWith(ring, "plain text", "t.c:1")).toThrow(SecretDecryptError);
  });
});

describe("generated key", () => {
  afterEach(() => {
    delete process.env.SECRETS_KEYS;
  });

  it("is generated once into DATA_DIR and reused", () => {
    delete process.env.SECRETS_KEYS;
    const first = getKeyRing();
    expect(getKeyRing().primary.id).toBe(first.primary.id);
    const sealed = sealSecret("x", "a:1");
    expect(openSecret(sealed, "a:1")).toBe("x");
  });
});

describe("rotation and the start-up key check", () => {
  const t = withTestDatabase();
  afterEach(() => {
    delete process.env.SECRETS_KEYS;
  });

  async function storeAccount(userId: string, token: string) {
    const id = randomUUID();
    await insertOidcAccount(t.db, {
      id,
      userId,
      issuer: "https://idp.example",
      subject: randomUUID(),
      accessTokenEnc: sealSecret(token, secretAad("oidc_accounts", "access_token_enc", id)),
      refreshTokenEnc: sealSecret(
        `${token}-refresh`,
        secretAad("oidc_accounts", "refresh_token_enc", id),
      ),
    });
    return id;
  }

  it("re-seals with the newest key, after which the old key can go", async () => {
    const oldKey = newKey();
    const nextKey = newKey();
    process.env.SECRETS_KEYS = oldKey;
    const { user } = await seedUser(t.db);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await storeAccount(user.id, `token-${i}`));
    await assertKeysCoverStoredSecrets(t.db);

    // The new key alone cannot open what the old one sealed: start-up must refuse.
    process.env.SECRETS_KEYS = nextKey;
    await expect(assertKeysCoverStoredSecrets(t.db)).rejects.toThrow(/SECRETS_KEYS does not hold/);

    process.env.SECRETS_KEYS = `${nextKey},${oldKey}`;
    const report = await rotateSecrets(t.db, getKeyRing());
    expect(report.total).toBe(6);
    expect(report.resealed["oidc_accounts.access_token_enc"]).toBe(3);
    expect((await rotateSecrets(t.db, getKeyRing())).total).toBe(0);

    process.env.SECRETS_KEYS = nextKey;
    await assertKeysCoverStoredSecrets(t.db);
    const rows = await t.db.select().from(oidcAccounts).where(eq(oidcAccounts.userId, user.id));
    const ring = getKeyRing();
    const opened = rows
      .map((r) =>
        openWith(ring, r.accessTokenEnc!, secretAad("oidc_accounts", "access_token_enc", r.id)),
      )
      .sort();
    expect(opened).toEqual(["token-0", "token-1", "token-2"]);
  });
});
