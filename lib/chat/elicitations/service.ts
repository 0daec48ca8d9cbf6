import "server-only";
// The person's answer to an MCP server's question: accept (with the form's content, checked
// against the requested schema after its defaults are applied), decline or cancel. The row is
// locked and decided once (409 on a second answer), the stored message's part updated in the
// same transaction, and the waiting call woken (at once on this instance; another instance
// notices by polling). See docs/paused-turns.md.
import type { Database } from "@/db/client";
import type { ChatRow } from "@/db/queries/chats";
import { decideRequest, lockChatRequest } from "@/db/queries/pending-requests";
import type { Caller } from "@/lib/auth/caller";
import type { Elicitation } from "@/lib/chat/wire";
import { ApiError, Errors } from "@/lib/errors";
import { checkContent } from "@/lib/mcp/elicitation-schema";
import { checkToolArguments } from "@/lib/mcp/input-validation";
import { expireDue } from "../approvals/decide";
import { syncApprovalParts } from "../approvals/store";
import { wakeElicitation } from "./ask";
import {
  cancelOrphanElicitations,
  elicitationJson,
  elicitationRequestOf,
  type ElicitationResponse,
} from "./store";

export interface ElicitationAnswer {
  action: "accept" | "decline" | "cancel";
  content?: Record<string, unknown> | undefined;
}

const STATES = { accept: "accepted", decline: "declined", cancel: "cancelled" } as const;

function invalidContent(problems: { field: string; detail: string }[]): ApiError {
  return new ApiError(
    400,
    "elicitation.invalid_content",
    "The answer does not fit the form the server asked for.",
    problems,
  );
}

/** The content the server gets: the form's values, defaults filled in, checked twice. */
function acceptedContent(schema: Record<string, unknown> | undefined, content: unknown) {
  const checked = checkContent(schema, content ?? {});
  if (!checked.ok) throw invalidContent(checked.problems);
  // The project's JSON Schema validator as well: keywords the form does not model still hold.
  const full = checkToolArguments(schema ?? {}, checked.content);
  if (!full.ok) throw invalidContent(full.problems.map((detail) => ({ field: "content", detail })));
  return checked.content;
}

export async function answerElicitation(
  db: Database,
  caller: Caller,
  chat: ChatRow,
  elicitationId: string,
  answer: ElicitationAnswer,
): Promise<Elicitation> {
  // Lazily, as approvals: a question past its time or of a turn that died is settled first.
  const orphans = await cancelOrphanElicitations(db, chat.id);
  if (orphans.length > 0) await syncApprovalParts(db, orphans);
  await expireDue(db, chat.id);
  const decided = await db.transaction(async (tx) => {
    const row = await lockChatRequest(tx, chat.id, elicitationId);
    if (!row || row.kind !== "elicitation") throw Errors.notFound("elicitation", "elicitation");
    if (row.state !== "pending") {
      throw new ApiError(
        409,
        "elicitation.already_answered",
        `This request was already answered (${row.state}).`,
      );
    }
    const req = elicitationRequestOf(row);
    const response: ElicitationResponse = { action: answer.action };
    if (answer.action === "accept" && req.mode === "form") {
      response.content = acceptedContent(req.requestedSchema, answer.content);
    }
    const updated = await decideRequest(tx, row.id, {
      state: STATES[answer.action],
      decidedBy: caller.id,
      response: response as Record<string, unknown>,
    });
    if (!updated) throw new ApiError(409, "elicitation.already_answered", "Already answered.");
    await syncApprovalParts(tx, [updated]);
    return updated;
  });
  wakeElicitation(decided.id);
  return elicitationJson(decided);
}
