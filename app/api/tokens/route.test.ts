import { beforeAll, describe, expect, it } from "vitest";
import { apiTokens } from "@/db/schema";
import { hashApiToken } from "@/lib/auth/api-token";
import { call, ORIGIN, sessionCookie } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { GET as getMe } from "../users/me/route";
import { DELETE as deleteToken } from "./[id]/route";
import { GET as listTokens, POST as createToken } from "./route";

const t = withTestDatabase();
let alice: Awaited<ReturnType<typeof seedUser>>;
let bob: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  alice = await seedUser(t.db, { email: "alice@example.com", password: "alice-password" });
  bob = await seedUser(t.db, { email: "bob@example.com" });
});

describe("/api/tokens", () => {
  it("creates a token from email and password and stores only its hash", async () => {
    const res = await call(createToken, {
      body: { email: "ALICE@example.com", password: "alice-password", name: "cli" },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(
      ["created_at", "id", "last_used_at", "name", "prefix", "token"].sort(),
    );
    expect(res.body.name).toBe("cli");
    const rows = await t.db.select().from(apiTokens);
    expect(rows.some((r) => r.tokenHash === hashApiToken(res.body.token))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(res.body.token);
    expect((await call(getMe, { token: res.body.token })).body.email).toBe("alice@example.com");
  });

  it("answers the same 401 for a wrong password and an unknown email", async () => {
    const wrong = await call(createToken, {
      body: { email: "alice@example.com", password: "nope-nope" },
    });
    const unknown = await call(createToken, {
      body: { email: "ghost@example.com", password: "nope-nope" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe("auth.invalid_credentials");
  });

  it("creates a token with a session and a name, and needs one of the two", async () => {
    const anon = await call(createToken, { body: { name: "x" } });
    expect(anon.status).toBe(401);
    const cookie = await sessionCookie(alice.user.id);
    const res = await call(createToken, {
      cookie,
      body: { name: "laptop" },
      headers: { origin: ORIGIN },
    });
    expect(res.status).toBe(201);
    const noName = await call(createToken, { cookie, body: {}, headers: { origin: ORIGIN } });
    expect(noName.status).toBe(400);
    expect(noName.body.validations[0].field).toBe("name");
  });

  it("validates the body and writes nothing on bad input", async () => {
    const before = (await t.db.select().from(apiTokens)).length;
    const cases: [unknown, number, string][] = [
      [{ email: "alice@example.com" }, 400, "validation.invalid"],
      [{ email: 1, password: "x" }, 400, "validation.invalid"],
      [{ email: "a@b.c", password: "x", scope: "all" }, 400, "validation.unknown_field"],
      [{ name: "y".repeat(1024 * 1024 + 1) }, 413, "request.too_large"],
    ];
    for (const [body, status, code] of cases) {
      const res = await call(createToken, { token: alice.token, body });
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
    }
    const wrongType = await call(createToken, {
      token: alice.token,
      body: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(wrongType.status).toBe(415);
    expect((await t.db.select().from(apiTokens)).length).toBe(before);
  });

  it("lists only the caller's tokens, never their values", async () => {
    const res = await call(listTokens, { token: bob.token });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).not.toHaveProperty("token");
    expect(res.body[0]).not.toHaveProperty("token_hash");
    expect(JSON.stringify(res.body)).not.toContain(bob.token);
  });

  it("revokes at once, and hides other users' tokens as 404", async () => {
    const created = await call(createToken, { token: bob.token, body: { name: "temp" } });
    expect(created.status).toBe(201);
    const aliceTry = await call(deleteToken, {
      token: alice.token,
      method: "DELETE",
      params: { id: created.body.id },
    });
    expect(aliceTry.status).toBe(404);
    const unknown = await call(deleteToken, {
      token: alice.token,
      method: "DELETE",
      params: { id: "00000000-0000-4000-8000-00000000abcd" },
    });
    expect(aliceTry.body).toEqual(unknown.body);
    const bad = await call(deleteToken, {
      token: bob.token,
      method: "DELETE",
      params: { id: "abc" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("validation.id");

    expect((await call(getMe, { token: created.body.token })).status).toBe(200);
    const del = await call(deleteToken, {
      token: bob.token,
      method: "DELETE",
      params: { id: created.body.id },
    });
    expect(del.status).toBe(204);
    const after = await call(getMe, { token: created.body.token });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("auth.invalid_token");
  });

  it("throttles repeated failures per email, known or not, without touching other emails", async () => {
    const target = await seedUser(t.db, {
      email: "target@example.com",
      password: "right-password",
    });
    for (const email of ["target@example.com", "nobody-here@example.com"]) {
      for (let i = 0; i < 10; i++) {
        const res = await call(createToken, { body: { email, password: `wrong-${i}` } });
        expect(res.status).toBe(401);
      }
      // Even the right password is refused now: the throttle does not verify passwords.
      const blocked = await call(createToken, { body: { email, password: "right-password" } });
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe("auth.rate_limited");
    }
    const other = await call(createToken, {
      body: { email: "alice@example.com", password: "alice-password" },
    });
    expect(other.status).toBe(201);
    expect(target.user.email).toBe("target@example.com");
  });

  it("refuses a NUL character in the token name, naming the field, and stores nothing", async () => {
    const { token } = await seedUser(t.db);
    const before = (await t.db.select().from(apiTokens)).length;
    const res = await call(createToken, { token, body: { name: "laptop\u0000" } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation.invalid");
    expect(res.body.validations[0].field).toBe("name");
    expect((await t.db.select().from(apiTokens)).length).toBe(before);
  });

  it("counts parallel guesses atomically: at most 10 passwords are checked", async () => {
    await seedUser(t.db, { email: "parallel@example.com", password: "right-password" });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(createToken, {
          body: { email: "parallel@example.com", password: `wrong-${i}` },
          headers: { "x-forwarded-for": "198.51.100.1" },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it("throttles per email and source: a guesser elsewhere does not lock the owner out", async () => {
    await seedUser(t.db, { email: "victim@example.com", password: "victims-password" });
    const from = (ip: string, password: string) =>
      call(createToken, {
        body: { email: "victim@example.com", password },
        headers: { "x-forwarded-for": `203.0.113.50, ${ip}` },
      });
    for (let i = 0; i < 10; i++) expect((await from("192.0.2.66", `guess-${i}`)).status).toBe(401);
    expect((await from("192.0.2.66", "victims-password")).status).toBe(429);
    // The owner, from their own address, signs in; a success gives its source a clean slate.
    expect((await from("192.0.2.10", "victims-password")).status).toBe(201);
    for (let i = 0; i < 9; i++) expect((await from("192.0.2.10", `typo-${i}`)).status).toBe(401);
    expect((await from("192.0.2.10", "victims-password")).status).toBe(201);
  });

  it("caps one email across all sources, so rotating addresses does not buy more guesses", async () => {
    const results: number[] = [];
    for (let i = 0; i < 110; i++) {
      const res = await call(createToken, {
        body: { email: "rotated@example.com", password: `guess-${i}` },
        headers: { "x-forwarded-for": `10.1.${Math.floor(i / 5)}.${i % 5}` },
      });
      results.push(res.status);
    }
    expect(results.filter((s) => s === 401)).toHaveLength(100);
    expect(results.slice(100).every((s) => s === 429)).toBe(true);
  });
});
