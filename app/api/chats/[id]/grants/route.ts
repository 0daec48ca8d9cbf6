import { idParams, json, route } from "@/lib/api/route";
import { listGrants } from "@/lib/chat/approvals/service";
import { getOwnChat } from "@/lib/chat/service";
import { listGrantsQuery } from "@/lib/schemas/approvals";

/** The chat's grants in force (`?include_inactive=true`: revoked and expired ones too). */
export const GET = route({
  access: "user",
  params: idParams,
  query: listGrantsQuery,
  async handler({ db, caller, params, query }) {
    const chat = await getOwnChat(db, caller, params.id);
    return json(await listGrants(db, chat, query.include_inactive === "true"));
  },
});
