import { route } from "@/lib/api/route";
import { callbackPage } from "@/lib/mcp-config/oauth2-callback-page";
import { completeOauth2Callback } from "@/lib/mcp-config/oauth2-flow";

/**
 * The one redirect URI of toolgate's client metadata document (lib/mcp-config/client-metadata.ts),
 * shared by every server whose authorization server uses it: the single-use `state` names the
 * server. Otherwise exactly the per-server callback (/api/mcp/servers/:id/oauth2/callback).
 */
export const GET = route({
  access: "optional",
  async handler({ db, caller, req }) {
    const query = new URL(req.url).searchParams;
    return callbackPage(await completeOauth2Callback(db, caller, null, query));
  },
});
