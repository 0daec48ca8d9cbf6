import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as createToken } from "@/app/api/tokens/route";
import { auditEvents, sessions } from "@/db/schema";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call, sessionCookie } from "@/lib/testing/http";
import { PATCH as patchUser } from "./[id]/route";
import { POST as resetPassword } from "./[id]/password/route";
import { GET as getMe } from "./me/route";
import { POST as changePassword } from "./me/password/route";

const t = withTestDatabase();
let admin: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  admin = await seedUser(t.db, { role: "admin" });
});

const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };
const status = async (cookie: string) => (await call(getMe, { cookie })).status;
const signIn = (email: string, password: string) =>
  call(createToken, { body: { email, password }, headers: { "x-forwarded-for": "192.0.2.7" } });
const auditOf = async (action: string, targetId: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));

describe("POST /api/users/me/password", () => {
  it("needs the current password, keeps this session and ends every other one", async () => {
    const { user, password } = await seedUser(t.db, { email: "changer@example.com" });
    const here = await sessionCookie(user.id);
    const elsewhere = await sessionCookie(user.id);

    const wrong = await call(changePassword, {
      cookie: here,
      headers: SAME_ORIGIN,
      body: { current_password: "not-it", new_password: "brand-new-password" },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.validations).toEqual([{ field: "current_password", detail: "is incorrect" }]);
    const short = await call(changePassword, {
      cookie: here,
      headers: SAME_ORIGIN,
      body: { current_password: password, new_password: "short" },
    });
    expect(short.status).toBe(400);
    expect(short.body.validations[0].field).toBe("new_password");
    expect(await status(elsewhere)).toBe(200);

    const ok = await call(changePassword, {
      cookie: here,
      headers: SAME_ORIGIN,
      body: { current_password: password, new_password: "brand-new-password" },
    });
    expect(ok.status).toBe(204);
    expect(await status(here)).toBe(200);
    expect(await status(elsewhere)).toBe(401);
    expect((await signIn("changer@example.com", password)).status).toBe(401);
    expect((await signIn("changer@example.com", "brand-new-password")).status).toBe(201);
    const [audit] = await auditOf("user.password_change", user.id);
    expect(audit).toMatchObject({ actorId: user.id, outcome: "success" });
    expect(JSON.stringify(audit)).not.toContain("brand-new-password");
  });

  it("is refused cross-site and for anonymous callers", async () => {
    const { user, password } = await seedUser(t.db);
    const cookie = await sessionCookie(user.id);
    const body = { current_password: password, new_password: "another-password" };
    const forged = await call(changePassword, {
      cookie,
      body,
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(forged.status).toBe(403);
    expect((await call(changePassword, { body })).status).toBe(401);
  });
});

describe("POST /api/users/:id/password", () => {
  it("lets an admin set a new password, ending every session of that user, audited", async () => {
    const { user, token, password } = await seedUser(t.db, { email: "forgot@example.com" });
    const a = await sessionCookie(user.id);
    const b = await sessionCookie(user.id);
    const forbidden = await call(resetPassword, {
      token,
      params: { id: admin.user.id },
      body: { password: "taken-over-1" },
    });
    expect(forbidden.status).toBe(403);

    const res = await call(resetPassword, {
      token: admin.token,
      params: { id: user.id },
      body: { password: "reset-by-admin-1" },
    });
    expect(res.status).toBe(204);
    expect(await status(a)).toBe(401);
    expect(await status(b)).toBe(401);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    expect((await signIn("forgot@example.com", password)).status).toBe(401);
    expect((await signIn("forgot@example.com", "reset-by-admin-1")).status).toBe(201);
    const [audit] = await auditOf("user.password_reset", user.id);
    expect(audit).toMatchObject({ actorId: admin.user.id, detail: { sessions_ended: 2 } });

    const missing = await call(resetPassword, {
      token: admin.token,
      params: { id: "00000000-0000-4000-8000-000000000009" },
      body: { password: "whatever-123" },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("user.not_found");
  });
});

describe("role changes and disables end sessions at once", () => {
  it("a role change signs the user's browsers out; a disable too, and enabling does not revive them", async () => {
    const { user } = await seedUser(t.db);
    const before = await sessionCookie(user.id);
    const patch = (body: Record<string, unknown>) =>
      call(patchUser, { token: admin.token, method: "PATCH", params: { id: user.id }, body });

    expect((await patch({ role: "admin" })).status).toBe(200);
    expect(await status(before)).toBe(401);

    const afterPromotion = await sessionCookie(user.id);
    expect(await status(afterPromotion)).toBe(200);
    expect((await patch({ disabled: true })).status).toBe(200);
    expect((await patch({ disabled: false })).status).toBe(200);
    expect(await status(afterPromotion)).toBe(401);

    // A change that changes nothing (same role) leaves sessions alone.
    const fresh = await sessionCookie(user.id);
    expect((await patch({ role: "admin" })).status).toBe(200);
    expect(await status(fresh)).toBe(200);
  });
});
