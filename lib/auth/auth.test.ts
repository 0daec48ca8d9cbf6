import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { GET as usersMe } from "@/app/api/users/me/route";
import { sessions } from "@/db/schema";
import { startOidcProvider, type OidcProviderHandle } from "@/e2e/fixtures/oidc-provider";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { call } from "@/lib/testing/http";
import { CookieJar, followToRedirectUri } from "@/lib/testing/oauth-browser";

// What the browser reached the server as: not APP_URL (http://toolgate.test, lib/testing/setup).
// `next start` and proxies hand route handlers URLs like this one.
const SEEN_AS = "http://localhost:3000";
const APP = "http://toolgate.test";
const REDIRECT_URI = `${APP}/api/auth/callback/oidc`;

const t = withTestDatabase();
const saved = { ...process.env };
let op: OidcProviderHandle;

beforeAll(async () => {
  op = await startOidcProvider({
    autoLogin: "alice",
    clients: [
      { client_id: "toolgate", client_secret: "toolgate-secret", redirect_uris: [REDIRECT_URI] },
    ],
  });
  process.env.OIDC_ISSUER = op.issuer;
  process.env.OIDC_CLIENT_ID = "toolgate";
  process.env.OIDC_CLIENT_SECRET = "toolgate-secret";
});

afterAll(async () => {
  await op?.close();
  for (const key of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

/** A browser talking to the Auth.js route handlers in-process. */
class AuthBrowser {
  readonly jar = new CookieJar();

  async request(method: "GET" | "POST", path: string, form?: Record<string, string>) {
    const headers = new Headers();
    const cookie = this.jar.header();
    if (cookie) headers.set("cookie", cookie);
    let body: string | undefined;
    if (form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(form).toString();
    }
    const url = path.startsWith("http") ? path : `${SEEN_AS}${path}`;
    const req = new Request(url, { method, headers, body });
    const res = await (method === "GET" ? authGet(req) : authPost(req));
    this.jar.store(res);
    return res;
  }

  async csrf(): Promise<string> {
    const res = await this.request("GET", "/api/auth/csrf");
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async signInWithPassword(email: string, password: string) {
    const csrfToken = await this.csrf();
    return this.request("POST", "/api/auth/callback/credentials", {
      csrfToken,
      email,
      password,
      callbackUrl: "/chat",
    });
  }

  async signOut(callbackUrl: string) {
    const csrfToken = await this.csrf();
    return this.request("POST", "/api/auth/signout", { csrfToken, callbackUrl });
  }

  sessionCookie(): string {
    return this.jar.header() ?? "";
  }
}

describe("Auth.js on APP_URL", () => {
  it("builds the OIDC redirect_uri and every redirect from APP_URL, not the host it was reached on", async () => {
    const browser = new AuthBrowser();
    const csrfToken = await browser.csrf();
    const start = await browser.request("POST", "/api/auth/signin/oidc", {
      csrfToken,
      callbackUrl: "/chat",
    });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.origin).toBe(op.issuer);
    expect(authorize.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);

    // The provider accepts it (it knows only APP_URL's callback) and sends the browser back.
    const back = await followToRedirectUri(authorize.href, REDIRECT_URI);
    // The browser arrives where it was sent, but Next again reports the host it listened on.
    const callback = await browser.request("GET", `${SEEN_AS}${back.pathname}${back.search}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe(`${APP}/chat`);
    const me = await call(usersMe, { cookie: browser.sessionCookie() });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe("alice@example.com");

    const out = await browser.signOut("/login");
    expect(out.headers.get("location")).toBe(`${APP}/login`);
  });

  it("never redirects to another origin, however the callback URL is spelt", async () => {
    const { user, password } = await seedUser(t.db, { email: "redirect@example.com" });
    expect(user.id).toBeTruthy();
    for (const evil of [
      "/\\evil.example/x",
      "/\t/evil.example",
      "//evil.example",
      "https://evil.example/",
    ]) {
      const browser = new AuthBrowser();
      const csrfToken = await browser.csrf();
      const res = await browser.request("POST", "/api/auth/callback/credentials", {
        csrfToken,
        email: "redirect@example.com",
        password,
        callbackUrl: evil,
      });
      expect(new URL(res.headers.get("location")!).origin, evil).toBe(APP);
      const out = await browser.signOut(evil);
      expect(new URL(out.headers.get("location")!).origin, evil).toBe(APP);
    }
  });
});

describe("server-side sessions", () => {
  it("signing out ends the session on the server: a copied cookie no longer works", async () => {
    const { user, password } = await seedUser(t.db, { email: "signout@example.com" });
    const browser = new AuthBrowser();
    const signedIn = await browser.signInWithPassword("signout@example.com", password);
    expect(signedIn.status).toBe(302);
    const copied = browser.sessionCookie();
    expect((await call(usersMe, { cookie: copied })).status).toBe(200);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);

    await browser.signOut("/login");
    const replay = await call(usersMe, { cookie: copied });
    expect(replay.status).toBe(401);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  });
});
