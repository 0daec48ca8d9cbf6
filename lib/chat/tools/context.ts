// What a turn's tools need to know about the turn, built once per turn (or per explainer
// request) and handed to every source of tools: who asks, in which chat, under which policy,
// and who reads the notices. The runner and GET /api/chats/:id/tools build it the same way.
import type { ChatRow } from "@/db/queries/chats";
import type { UserRole } from "@/db/schema";
import type { AgentKind, TurnPolicy } from "@/lib/policy/tool-policy";
import type { NoticeAudience } from "../mcp-notices";

export interface TurnIdentity {
  userId: string;
  chatId: string;
  /** The root chat when this chat is a sub-agent's chat. */
  rootChatId: string;
  workspaceId: string | null;
}

export interface TurnContext {
  identity: TurnIdentity;
  policy: TurnPolicy;
  /** Who reads the notices: the chat owner's role (members never see server addresses). */
  audience: NoticeAudience;
}

/** The slice of a chat the turn's tools read. */
export type TurnChat = Pick<ChatRow, "id" | "parentChatId" | "workspaceId" | "mcpServerIds">;

export function turnContextOf(
  chat: TurnChat,
  owner: { id: string; role: UserRole },
  planMode: boolean,
  agent: AgentKind,
): TurnContext {
  return {
    identity: {
      userId: owner.id,
      chatId: chat.id,
      rootChatId: chat.parentChatId ?? chat.id,
      workspaceId: chat.workspaceId,
    },
    policy: {
      planMode,
      agent,
      selectedServerIds: new Set(chat.mcpServerIds),
      // A sub-agent works in its parent's workspace, which may have been attached after it
      // was spawned: not known from its own row, so not held back.
      hasWorkspace:
        chat.workspaceId !== null ? true : chat.parentChatId === null ? false : undefined,
    },
    audience: owner.role,
  };
}
