import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditEvents, users } from "@/db/schema";
import { call, ORIGIN, sessionCookie } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { GET as getMe } from "./me/route";
import { GET as getUser, PATCH as patchUser } from "./[id]/route";
import { GET as listUsers, POST as createUser } from "./route";

const t = withTestDatabase();
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  admin = await seedUser(t.db, { role: "admin", email: "root@example.com" });
  member = await seedUser(t.db, { role: "member", email: "mem@example.com" });
});

describe("/api/users", () => {
  it("needs credentials (401) and the admin role (403)", async () => {
    const anon = await call(listUsers);
    expect(anon.status).toBe(401);
    expect(anon.body.code).toBe("auth.required");
    const bad = await call(listUsers, { token: "tg_nope-not-a-real-token-at-all-000000" });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe("auth.invalid_token");
    const asMember = await call(listUsers, { token: member.token });
    expect(asMember.status).toBe(403);
    expect(asMember.body.code).toBe("auth.forbidden");
    const memberCreate = await call(createUser, { token: member.token, body: { bad: 1 } });
    expect(memberCreate.status).toBe(403);
  });

  it("lists users for an admin without password hashes", async () => {
    const res = await call(listUsers, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.map((u: { email: string }) => u.email)).toEqual([
      "mem@example.com",
      "root@example.com",
    ]);
    expect(JSON.stringify(res.body)).not.toContain("argon2");
  });

  it("creates a member who can then use the API, and audits it", async () => {
    const res = await call(createUser, {
      token: admin.token,
      body: { email: "New@Example.com", name: "Newbie", password: "newbie-pass" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: "new@example.com", role: "member", disabled: false });
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, res.body.id));
    expect(audit.map((a) => a.action)).toContain("user.create");
    expect(JSON.stringify(audit)).not.toContain("newbie-pass");

    const dup = await call(createUser, {
      token: admin.token,
      body: { email: "new@example.com", name: "Again", password: "newbie-pass" },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe("user.email_conflict");
  });

  it("rejects bad bodies with a code naming the field and writes nothing", async () => {
    const before = (await t.db.select().from(users)).length;
    const cases: [unknown, string, string][] = [
      [{ name: "x", password: "12345678" }, "validation.invalid", "email"],
      [
        { email: "a@b.co", name: "x", password: "12345678", role: "root" },
        "validation.invalid",
        "role",
      ],
      [{ email: "a@b.co", name: 5, password: "12345678" }, "validation.invalid", "name"],
      [
        { email: "a@b.co", name: "x", password: "12345678", admin: true },
        "validation.unknown_field",
        "admin",
      ],
    ];
    for (const [body, code, field] of cases) {
      const res = await call(createUser, { token: admin.token, body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(code);
      expect(res.body.validations[0].field).toBe(field);
    }
    const big = await call(createUser, {
      token: admin.token,
      body: { email: "x".repeat(2 * 1024 * 1024) },
    });
    expect(big.status).toBe(413);
    expect((await t.db.select().from(users)).length).toBe(before);
  });

  it("rejects bad PATCH bodies with a code naming the field and changes nothing", async () => {
    const target = await seedUser(t.db, { role: "member" });
    const cases: [unknown, number, string, string?][] = [
      [{}, 400, "validation.invalid", "role"],
      [{ role: 1 }, 400, "validation.invalid", "role"],
      [{ disabled: "yes" }, 400, "validation.invalid", "disabled"],
      [{ role: "admin", email: "x@example.com" }, 400, "validation.unknown_field", "email"],
      [{ role: "admin", pad: "x".repeat(1024 * 1024) }, 413, "request.too_large"],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await call(patchUser, {
        token: admin.token,
        method: "PATCH",
        params: { id: target.user.id },
        body,
      });
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
      if (field) expect(res.body.validations[0].field).toBe(field);
    }
    const [after] = await t.db.select().from(users).where(eq(users.id, target.user.id));
    expect(after).toMatchObject({ role: "member", disabled: false, email: target.user.email });
  });

  it("answers 400 validation.id for a malformed id and 404 for an unknown one", async () => {
    const bad = await call(patchUser, {
      token: admin.token,
      params: { id: "42" },
      method: "PATCH",
      body: { role: "admin" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("validation.id");
    const missing = await call(getUser, {
      token: admin.token,
      params: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("user.not_found");
  });

  it("applies a role change and a disable on the very next request", async () => {
    const target = await seedUser(t.db, { role: "member" });
    expect((await call(listUsers, { token: target.token })).status).toBe(403);
    const promote = await call(patchUser, {
      token: admin.token,
      method: "PATCH",
      params: { id: target.user.id },
      body: { role: "admin" },
    });
    expect(promote.status).toBe(200);
    expect(promote.body.role).toBe("admin");
    expect((await call(listUsers, { token: target.token })).status).toBe(200);

    const cookie = await sessionCookie(target.user.id);
    expect((await call(getMe, { cookie })).status).toBe(200);

    const demote = await call(patchUser, {
      token: admin.token,
      method: "PATCH",
      params: { id: target.user.id },
      body: { role: "member", disabled: true },
    });
    expect(demote.status).toBe(200);
    const viaToken = await call(getMe, { token: target.token });
    expect(viaToken.status).toBe(401);
    expect(viaToken.body.code).toBe("auth.account_disabled");
    expect((await call(getMe, { cookie })).status).toBe(401);
  });

  it("refuses to demote or disable the last active admin", async () => {
    const db = t.db;
    // Leave root as the only active admin.
    const admins = (await db.select().from(users)).filter(
      (u) => u.role === "admin" && u.id !== admin.user.id,
    );
    for (const a of admins)
      await db.update(users).set({ role: "member" }).where(eq(users.id, a.id));
    const res = await call(patchUser, {
      token: admin.token,
      method: "PATCH",
      params: { id: admin.user.id },
      body: { disabled: true },
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("user.last_admin");
    const empty = await call(patchUser, {
      token: admin.token,
      method: "PATCH",
      params: { id: admin.user.id },
      body: {},
    });
    expect(empty.status).toBe(400);
  });

  it("checks the origin of cookie-authenticated writes only", async () => {
    const cookie = await sessionCookie(admin.user.id);
    const body = { email: "csrf@example.com", name: "C", password: "12345678" };
    const crossSite = await call(createUser, {
      cookie,
      body,
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.code).toBe("csrf.rejected");
    const evilOrigin = await call(createUser, {
      cookie,
      body,
      headers: { origin: "https://evil.example" },
    });
    expect(evilOrigin.status).toBe(403);
    const noHeaders = await call(createUser, { cookie, body });
    expect(noHeaders.status).toBe(403);
    expect((await call(listUsers, { cookie })).status).toBe(200);
    const ok = await call(createUser, { cookie, body, headers: { origin: ORIGIN } });
    expect(ok.status).toBe(201);
    const bearer = await call(createUser, {
      token: admin.token,
      body: { ...body, email: "csrf2@example.com" },
    });
    expect(bearer.status).toBe(201);
  });
});
