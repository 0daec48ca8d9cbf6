import net from "node:net";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { GET as health } from "@/app/api/health/route";
import { GET as unknownRoute } from "@/app/api/[...path]/route";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { GET as usersMe } from "@/app/api/users/me/route";
import { openPostgres } from "@/db/client";
import { setDbHandleForTests } from "@/lib/server/database";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call, sessionCookie } from "@/lib/testing/http";
import { json, route } from "./route";

const t = withTestDatabase();

describe("route()", () => {
  const echo = route({
    access: "user",
    body: z.strictObject({ n: z.number().int() }),
    query: z.strictObject({ verbose: z.enum(["true", "false"]).optional() }),
    handler: async ({ body, query, caller }) =>
      json({ n: body.n, verbose: query.verbose, who: caller.email }),
  });

  it("authenticates before it parses, so anonymous callers learn nothing about the body", async () => {
    const res = await call(echo, { body: "{broken" });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("validates query and body and passes typed values to the handler", async () => {
    const { token } = await seedUser(t.db, { email: "route@example.com" });
    const ok = await call(echo, { token, body: { n: 3 }, path: "/api/x?verbose=true" });
    expect(ok.body).toEqual({ n: 3, verbose: "true", who: "route@example.com" });
    const badQuery = await call(echo, { token, body: { n: 3 }, path: "/api/x?page=2" });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.validations[0].field).toBe("query.page");
    const noType = await call(echo, { token, body: "{}", headers: { "content-type": "" } });
    expect(noType.status).toBe(415);
    const declaredHuge = await call(echo, {
      token,
      body: "{}",
      headers: { "content-length": String(5 * 1024 * 1024) },
    });
    expect(declaredHuge.status).toBe(413);
  });

  it("answers 500 with a fixed message and logs the cause, never the stack to the client", async () => {
    const { token } = await seedUser(t.db);
    const boom = route({
      access: "user",
      handler: async () => {
        throw new Error("secret internals at /srv/app.ts:12");
      },
    });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await call(boom, { token });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: "internal.error", message: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toContain("secret internals");
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it("lets bearer requests through whatever their Origin, and still checks cookie writes", async () => {
    const { user, token } = await seedUser(t.db, { email: "bearer-origin@example.com" });
    const headers = { origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" };
    const bearer = await call(echo, { token, body: { n: 1 }, headers });
    expect(bearer.status).toBe(200);
    const cookie = await sessionCookie(user.id);
    const cookied = await call(echo, { cookie, body: { n: 1 }, headers });
    expect(cookied.status).toBe(403);
    expect(cookied.body.code).toBe("csrf.rejected");
    // An anonymous write from another site is refused too (no page may run setup for you).
    const open = route({ access: "public", handler: async () => json({}) });
    expect((await call(open, { method: "POST", headers })).status).toBe(403);
  });

  it("refuses NUL characters in any body or query string, naming the field", async () => {
    const { token } = await seedUser(t.db);
    const named = route({
      access: "user",
      body: z.strictObject({ title: z.string(), tags: z.array(z.string()).optional() }),
      query: z.strictObject({ q: z.string().optional() }),
      handler: async () => json({}),
    });
    const inTitle = await call(named, { token, body: { title: "a\u0000b" } });
    expect(inTitle.status).toBe(400);
    expect(inTitle.body.code).toBe("validation.invalid");
    expect(inTitle.body.validations).toEqual([
      { field: "title", detail: expect.stringContaining("NUL") },
    ]);
    const inArray = await call(named, { token, body: { title: "ok", tags: ["x", "\u0000"] } });
    expect(inArray.body.validations[0].field).toBe("tags[1]");
    const inQuery = await call(named, { token, body: { title: "ok" }, path: "/api/x?q=%00" });
    expect(inQuery.status).toBe(400);
    expect(inQuery.body.validations[0].field).toBe("query.q");
  });

  it("logs a failed statement with its SQLSTATE, never its parameter values", async () => {
    const { token } = await seedUser(t.db);
    const failing = route({
      access: "user",
      handler: async ({ db }) => {
        await db.execute(sql`select ${"argon2id-secret-value"}::uuid`);
        return json({});
      },
    });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await call(failing, { token });
      expect(res.status).toBe(500);
      const logged = spy.mock.calls.map((args) => args.map((a) => String(a)).join(" ")).join("\n");
      expect(logged).toContain("select $1::uuid");
      expect(logged).toContain("22P02");
      expect(logged).not.toContain("argon2id-secret-value");
    } finally {
      spy.mockRestore();
    }
  });

  it("answers unknown API paths with a problem document", async () => {
    const res = await call(unknownRoute, { path: "/api/nope" });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("route.not_found");
  });
});

describe("GET /api/health", () => {
  it("reports the database", async () => {
    const res = await call(health);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", database: "ok" });
  });

  it("answers 503 when the database is unreachable, and other routes say so too", async () => {
    // Nothing listens on port 1: every query fails to connect.
    const dead = openPostgres("postgres://nobody@127.0.0.1:1/none", { max: 1 });
    setDbHandleForTests(dead);
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await call(health);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: "error", database: "unreachable" });
      const api = await call(usersMe, { token: "tg_anything-long-enough-to-look-like-one" });
      expect(api.status).toBe(503);
      expect(api.body.code).toBe("database.unavailable");
      // Auth.js's own routes too, instead of a redirect that reads as a wrong password.
      const session = await call(authGet, { path: "/api/auth/session" });
      expect(session).toMatchObject({ status: 503, body: { code: "database.unavailable" } });
      const signIn = await call(authPost, {
        path: "/api/auth/callback/credentials",
        body: { email: "a@example.com", password: "whatever-it-is" },
      });
      expect(signIn).toMatchObject({ status: 503, body: { code: "database.unavailable" } });
    } finally {
      spy.mockRestore();
      setDbHandleForTests(t.handle);
      await dead.close();
    }
    expect((await call(health)).status).toBe(200);
  });

  // A server that is up but refuses us: each connection gets a FATAL ErrorResponse with the
  // given SQLSTATE before authentication, as Postgres does when it is full or shutting down.
  async function refusingPostgres(sqlState: string): Promise<net.Server> {
    const server = net.createServer((socket) => {
      socket.once("data", () => {
        const fields = Buffer.from(
          `SFATAL\0VFATAL\0C${sqlState}\0Mrefused for the test\0\0`,
          "latin1",
        );
        const header = Buffer.alloc(5);
        header.write("E", 0, "latin1");
        header.writeInt32BE(fields.length + 4, 1);
        socket.end(Buffer.concat([header, fields]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return server;
  }

  it.each(["53300", "57P03", "28000"])(
    "answers 503 database.unavailable when the server refuses connections (%s)",
    async (sqlState) => {
      const server = await refusingPostgres(sqlState);
      const { port } = server.address() as net.AddressInfo;
      const refusing = openPostgres(`postgres://nobody@127.0.0.1:${port}/none`, { max: 1 });
      setDbHandleForTests(refusing);
      const spy = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        const api = await call(usersMe, { token: "tg_anything-long-enough-to-look-like-one" });
        expect(api.status).toBe(503);
        expect(api.body.code).toBe("database.unavailable");
      } finally {
        spy.mockRestore();
        setDbHandleForTests(t.handle);
        await refusing.close();
        server.close();
      }
    },
  );
});
