import { NextResponse, type NextRequest } from "next/server";
import { REQUESTED_PATH_HEADER, requestedPath } from "@/lib/auth/requested-path";
import { contentSecurityPolicy } from "@/lib/server/csp";

/**
 * A fresh nonce and CSP per page request. The policy goes on the request too: that is where
 * Next reads the nonce for the scripts it renders. Authorization is not decided here (every
 * page and route checks the caller itself).
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  // The page asked for, so a sign-in can return to it. Set here (never taken from the client:
  // any incoming copy is overwritten) and checked again before it becomes a redirect target.
  headers.set(REQUESTED_PATH_HEADER, requestedPath(request.nextUrl));
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: API routes answer JSON (the OAuth callback page sets its own stricter
      // policy), and static assets carry no scripts of their own to nonce.
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
