import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { NextRequest } from "next/server";
import { findOidcAccount } from "@/db/queries/oidc-accounts";
import { deleteSession, insertSession } from "@/db/queries/sessions";
import { getEnv } from "@/lib/env";
import { getDb } from "@/lib/server/database";
import { clientAddress } from "./client-address";
import { verifyCredentials } from "./credentials";
import { linkOidcSignIn } from "./oidc-link";
import { safeRedirectUrl } from "./redirect";
import { getAuthSecret } from "./secret";

export const OIDC_PROVIDER_ID = "oidc";

class DisabledAccount extends CredentialsSignin {
  override code = "disabled";
}

class RateLimited extends CredentialsSignin {
  override code = "rate_limited";
}

function providers(): NextAuthConfig["providers"] {
  const env = getEnv();
  const list: NextAuthConfig["providers"] = [
    Credentials({
      id: "credentials",
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const email = typeof raw?.email === "string" ? raw.email : "";
        const password = typeof raw?.password === "string" ? raw.password : "";
        if (!email || !password || email.length > 254 || password.length > 256) return null;
        const result = await verifyCredentials(await getDb(), email, password, {
          via: "web",
          source: clientAddress(request.headers),
        });
        if (!result.ok) {
          if (result.reason === "disabled") throw new DisabledAccount();
          if (result.reason === "rate_limited") throw new RateLimited();
          return null;
        }
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
  ];
  if (env.oidcEnabled) {
    list.push({
      id: OIDC_PROVIDER_ID,
      name: env.OIDC_NAME,
      type: "oidc",
      issuer: env.OIDC_ISSUER,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      checks: ["pkce", "state", "nonce"],
      // offline_access asks for a refresh token: a later feature forwards the user's token to
      // MCP servers and must keep it fresh.
      authorization: { params: { scope: "openid email profile offline_access" } },
    });
  }
  return list;
}

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

function config(): NextAuthConfig {
  const env = getEnv();
  return {
    secret: getAuthSecret(),
    // Auth.js refuses to run without trusting the request's host; it never sees one, though:
    // authRouteHandlers below hands it every request on APP_URL's origin.
    trustHost: true,
    basePath: "/api/auth",
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    logger: {
      // A wrong password is an expected outcome (audited in lib/auth/credentials.ts), not a
      // server error worth a stack trace in the log.
      error(error) {
        // `type`, not `name`: class names are minified in production builds.
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        console.error(
          `[auth] ${(error as { type?: string }).type ?? error.name}: ${error.message}`,
        );
      },
    },
    providers: providers(),
    events: {
      // Sign-out ends the session on the server, not just in this browser: a copy of the
      // cookie is refused from now on.
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (typeof sid === "string") await deleteSession(await getDb(), sid);
      },
    },
    callbacks: {
      // Every redirect Auth.js makes (after sign-in, after sign-out, from the callback-url
      // cookie) goes through the one check the login page uses too.
      redirect({ url }) {
        return safeRedirectUrl(url, env.appUrl);
      },
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        if (!profile?.sub) return "/login?error=oidc_profile";
        const result = await linkOidcSignIn(await getDb(), {
          issuer: env.OIDC_ISSUER!,
          subject: profile.sub,
          email: typeof profile.email === "string" ? profile.email : null,
          emailVerified:
            typeof profile.email_verified === "boolean" ? profile.email_verified : undefined,
          name: typeof profile.name === "string" ? profile.name : null,
          accessToken: account.access_token,
          refreshToken: account.refresh_token,
          idToken: account.id_token,
          expiresAt: account.expires_at,
          scope: account.scope,
        });
        return result.ok ? true : `/login?error=oidc_${result.reason}`;
      },
      async jwt({ token, user, account, profile }) {
        if (account?.provider === OIDC_PROVIDER_ID && profile?.sub) {
          const linked = await findOidcAccount(await getDb(), env.OIDC_ISSUER!, profile.sub);
          if (linked) token.uid = linked.userId;
          token.login = "oidc";
        } else if (account?.provider === "credentials" && user?.id) {
          token.uid = user.id;
          token.login = "password";
        }
        // A sign-in (account is only set then) starts a server-side session; the cookie carries
        // its id, and lib/auth/caller.ts honours the cookie only while the row exists.
        if (account && typeof token.uid === "string") {
          token.sid = await insertSession(await getDb(), token.uid, SESSION_MAX_AGE_SECONDS);
        }
        // The session carries only who signed in: role and status are read from the database
        // on every request (lib/auth/caller.ts), never trusted from the cookie.
        delete token.picture;
        return token;
      },
      session({ session, token }) {
        if (typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
}

const nextAuth = NextAuth(() => config());

/**
 * The request as Auth.js should see it: on APP_URL's origin. Auth.js builds the OIDC
 * redirect_uri, its redirects and its cookies' security from the request URL, and behind
 * `next start` or a proxy that URL is whatever host the server was reached as (often
 * localhost), not the public origin the identity provider knows.
 */
export function onAppOrigin(req: Request): NextRequest {
  const url = new URL(req.url);
  return new NextRequest(new URL(`${url.pathname}${url.search}`, getEnv().appUrl), req);
}

export const authRouteHandlers = {
  GET: (req: Request) => nextAuth.handlers.GET(onAppOrigin(req)),
  POST: (req: Request) => nextAuth.handlers.POST(onAppOrigin(req)),
};
