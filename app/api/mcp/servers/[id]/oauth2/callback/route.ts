import { idParams, route } from "@/lib/api/route";
import { callbackPage } from "@/lib/mcp-config/oauth2-callback-page";
import { completeOauth2Callback } from "@/lib/mcp-config/oauth2-flow";

/**
 * The redirect URI registered with the authorization server. It arrives as a cross-site
 * navigation, so it is not a write under the same-origin rule: the single-use `state`, bound
 * to the signed-in user and this server, is what protects it. Answers an HTML page.
 */
export const GET = route({
  access: "optional",
  params: idParams,
  async handler({ db, caller, params, req }) {
    const query = new URL(req.url).searchParams;
    return callbackPage(await completeOauth2Callback(db, caller, params.id, query));
  },
});
