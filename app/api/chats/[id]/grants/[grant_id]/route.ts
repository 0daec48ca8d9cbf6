import { noContent, route } from "@/lib/api/route";
import { revokeChatGrant } from "@/lib/chat/approvals/service";
import { getOwnChat } from "@/lib/chat/service";
import { grantParams } from "@/lib/schemas/approvals";

/** Revokes a grant: the tool asks again from its next call. */
export const DELETE = route({
  access: "user",
  params: grantParams,
  async handler({ db, caller, params }) {
    const chat = await getOwnChat(db, caller, params.id);
    await revokeChatGrant(db, caller, chat, params.grant_id);
    return noContent();
  },
});
