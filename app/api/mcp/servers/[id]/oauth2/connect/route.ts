import { Errors } from "@/lib/errors";
import { idParams, route } from "@/lib/api/route";
import { startOauth2Connect } from "@/lib/mcp-config/oauth2-flow";

/**
 * A browser navigation (the popup), so a GET, outside the same-origin write check. It only
 * redirects, but it does start a flow in the caller's name, so a cookie-authenticated request
 * that another site triggered is refused. A bearer API token carries no ambient credential
 * and is allowed (a script may fetch the authorization URL); the callback still needs a
 * browser session of the same user.
 */
export const GET = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params, req }) {
    const site = req.headers.get("sec-fetch-site");
    if (caller.via === "session" && (site === "cross-site" || site === "same-site")) {
      throw Errors.csrf();
    }
    const location = await startOauth2Connect(db, caller, params.id);
    return new Response(null, {
      status: 307,
      headers: {
        Location: location,
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
      },
    });
  },
});
