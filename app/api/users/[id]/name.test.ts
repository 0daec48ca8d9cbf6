import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, users } from "@/db/schema";
import { call, sessionCookie } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { GET as getMe } from "../me/route";
import { PATCH as patchUser } from "./route";

const t = withTestDatabase();
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  admin = await seedUser(t.db, { role: "admin", email: "root@example.com" });
  member = await seedUser(t.db, { role: "member", email: "mem@example.com" });
});

const rename = (token: string, id: string, body: unknown) =>
  call(patchUser, { token, method: "PATCH", params: { id }, body });

async function nameOf(id: string) {
  const [row] = await t.db.select().from(users).where(eq(users.id, id));
  return row!.name;
}

describe("PATCH /api/users/:id {name}", () => {
  it("renames a user (trimmed), audits it and keeps their sessions", async () => {
    const cookie = await sessionCookie(member.user.id);
    const res = await rename(admin.token, member.user.id, { name: "  Mia Member  " });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: member.user.id, name: "Mia Member", role: "member" });
    expect(await nameOf(member.user.id)).toBe("Mia Member");
    // A new name is not a new permission: the member's browser stays signed in.
    const me = await call(getMe, { cookie });
    expect(me.status).toBe(200);
    expect(me.body.name).toBe("Mia Member");
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, member.user.id), eq(auditEvents.action, "user.update")));
    expect(audit.at(-1)?.detail).toMatchObject({ changed: ["name"], sessions_ended: 0 });
  });

  it("refuses bad names with a problem naming the field and changes nothing", async () => {
    const before = await nameOf(member.user.id);
    const cases: [unknown, number, string, string][] = [
      [{ name: "" }, 400, "validation.invalid", "name"],
      [{ name: "   " }, 400, "validation.invalid", "name"],
      [{ name: "x".repeat(101) }, 400, "validation.invalid", "name"],
      [{ name: 42 }, 400, "validation.invalid", "name"],
      [{ name: null }, 400, "validation.invalid", "name"],
      [{ name: "Line\nbreak" }, 400, "validation.invalid", "name"],
      [{ name: "Bell\u0007" }, 400, "validation.invalid", "name"],
      [{ name: "Ok", email: "x@example.com" }, 400, "validation.unknown_field", "email"],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await rename(admin.token, member.user.id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.code).toBe(code);
      expect(res.body.validations[0].field).toBe(field);
    }
    expect(await nameOf(member.user.id)).toBe(before);
  });

  it("is admin-only, and an unknown user is 404", async () => {
    const own = await rename(member.token, member.user.id, { name: "Self Service" });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe("auth.forbidden");
    const missing = await rename(admin.token, "00000000-0000-4000-8000-000000000000", {
      name: "Nobody",
    });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("user.not_found");
    expect(await nameOf(member.user.id)).not.toBe("Self Service");
  });
});
