import { describe, expect, it } from "vitest";
import { countUsers } from "@/db/queries/users";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { GET as me } from "../users/me/route";
import { POST as setup } from "./route";

const t = withTestDatabase();
const admin = { email: "Admin@Example.com", name: "Ada Admin", password: "correct horse" };

describe("POST /api/setup", () => {
  it("rejects bad input and writes nothing", async () => {
    const cases: [unknown, number, string, string?][] = [
      [{ name: "A", password: "longenough" }, 400, "validation.invalid", "email"],
      [{ ...admin, password: 12345678 }, 400, "validation.invalid", "password"],
      [{ ...admin, password: "short" }, 400, "validation.invalid", "password"],
      [{ ...admin, email: "not-an-email" }, 400, "validation.invalid", "email"],
      [{ ...admin, role: "admin" }, 400, "validation.unknown_field", "role"],
      ["{not json", 400, "validation.malformed_json"],
      [{ ...admin, name: "x".repeat(1024 * 1024 + 10) }, 413, "request.too_large"],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await call(setup, { body });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.code).toBe(code);
      if (field)
        expect(res.body.validations.map((v: { field: string }) => v.field)).toContain(field);
    }
    const wrongType = await call(setup, { body: "a=b", headers: { "content-type": "text/plain" } });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.code).toBe("request.unsupported_media_type");
    expect(await countUsers(t.db)).toBe(0);
  });

  it("creates the first admin with a working token, then closes", async () => {
    const res = await call(setup, { body: admin });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      email: "admin@example.com",
      name: "Ada Admin",
      role: "admin",
    });
    expect(res.body.user).not.toHaveProperty("password_hash");
    expect(res.body.token).toMatch(/^tg_/);

    const who = await call(me, { token: res.body.token });
    expect(who.status).toBe(200);
    expect(who.body).toEqual({
      id: res.body.user.id,
      email: "admin@example.com",
      name: "Ada Admin",
      role: "admin",
      login_type: "password",
    });

    const again = await call(setup, { body: { ...admin, email: "other@example.com" } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("setup.already_done");
    expect(await countUsers(t.db)).toBe(1);
  });
});

describe("concurrent setup", () => {
  const t2 = withTestDatabase();
  it("creates exactly one admin when two setups race", async () => {
    const [a, b] = await Promise.all([
      call(setup, { body: { ...admin, email: "a@example.com" } }),
      call(setup, { body: { ...admin, email: "b@example.com" } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await countUsers(t2.db)).toBe(1);
  });
});
