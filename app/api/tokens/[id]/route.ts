import { Errors } from "@/lib/errors";
import { idParams, noContent, route } from "@/lib/api/route";
import { revokeApiToken } from "@/lib/auth/tokens";

export const DELETE = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    if (!(await revokeApiToken(db, caller.id, params.id)))
      throw Errors.notFound("api_token", "token");
    return noContent();
  },
});
