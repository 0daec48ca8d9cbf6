import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { GET, PUT } from "./route";

const t = withTestDatabase();
let admin: Awaited<ReturnType<typeof seedUser>>;
let member: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  admin = await seedUser(t.db, { role: "admin" });
  member = await seedUser(t.db, { role: "member" });
});

const put = (token: string, body: unknown) => call(PUT, { token, method: "PUT", body });

describe("admin settings API", () => {
  it("starts empty, stores trimmed instructions and audits the change without the text", async () => {
    expect((await call(GET, { token: admin.token })).body).toEqual({ plan_mode_instructions: "" });
    const saved = await put(admin.token, { plan_mode_instructions: "  Link the ticket.\n" });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toEqual({ plan_mode_instructions: "Link the ticket." });
    expect((await call(GET, { token: admin.token })).body).toEqual({
      plan_mode_instructions: "Link the ticket.",
    });
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "app_settings.update"));
    expect(audit).toMatchObject({ actorId: admin.user.id, outcome: "success" });
    expect(JSON.stringify(audit!.detail)).not.toContain("ticket");
    // Replacing with an empty text clears it.
    await put(admin.token, { plan_mode_instructions: "" });
    expect((await call(GET, { token: admin.token })).body.plan_mode_instructions).toBe("");
  });

  it("validates the body strictly", async () => {
    const cases: [unknown, string][] = [
      [{}, "validation.invalid"],
      [{ plan_mode_instructions: 5 }, "validation.invalid"],
      [{ plan_mode_instructions: "x".repeat(8001) }, "validation.invalid"],
      [{ plan_mode_instructions: "x", other: true }, "validation.unknown_field"],
    ];
    for (const [body, code] of cases) {
      const res = await put(admin.token, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.code).toBe(code);
    }
    expect((await put(admin.token, { plan_mode_instructions: "x".repeat(8000) })).status).toBe(200);
  });

  it("is for admins only", async () => {
    expect((await call(GET, { token: member.token })).status).toBe(403);
    const res = await put(member.token, { plan_mode_instructions: "sneaky" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("auth.forbidden");
    expect((await call(GET)).status).toBe(401);
  });
});
