import { idParams, noContent, route } from "@/lib/api/route";
import { disconnectOauth2 } from "@/lib/mcp-config/oauth2-flow";

export const DELETE = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    await disconnectOauth2(db, caller, params.id);
    return noContent();
  },
});
