import { idParams, json, route } from "@/lib/api/route";
import { listApprovals } from "@/lib/chat/approvals/service";
import { getOwnChat } from "@/lib/chat/service";

/** The chat's approvals, pending and past, oldest first. */
export const GET = route({
  access: "user",
  params: idParams,
  async handler({ db, caller, params }) {
    const chat = await getOwnChat(db, caller, params.id);
    return json(await listApprovals(db, chat));
  },
});
