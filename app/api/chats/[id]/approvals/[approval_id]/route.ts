import { json, route } from "@/lib/api/route";
import { answerApproval } from "@/lib/chat/approvals/service";
import { getOwnChat } from "@/lib/chat/service";
import { answerApprovalBody, approvalParams } from "@/lib/schemas/approvals";

/** Answers a paused call: the turn resumes on this instance (see docs/paused-turns.md). */
export const POST = route({
  access: "user",
  params: approvalParams,
  body: answerApprovalBody,
  async handler({ db, caller, params, body }) {
    const chat = await getOwnChat(db, caller, params.id);
    return json(await answerApproval(db, caller, chat, params.approval_id, body));
  },
});
