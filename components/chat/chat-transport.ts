// The AI SDK transport for one chat. The server keeps the history, so a send carries only the
// new user text and the turn options; a reconnect replays the running turn from its start.
import { DefaultChatTransport } from "ai";
import { ApiRequestError } from "@/lib/client/api";
import { chatPath } from "@/lib/client/chat-queries";
import { messageText, type ChatUIMessage } from "./message-convert";

/** Per-message options, passed as `sendMessage(…, { body })`. */
export interface TurnBody {
  plan_mode: boolean;
  /** Only when the selection changed: absent leaves the chat's servers unchanged. */
  mcp_server_ids?: string[];
  /** The turn sends a new version of this stored question (docs/chat-branches.md). */
  edit_of?: string;
  /** The turn answers again in place of this stored answer; plan_mode is then ignored. */
  regenerate_of?: string;
}

/** Non-2xx answers become ApiRequestError, so the chat shows the server's message and code. */
async function problemError(res: Response): Promise<ApiRequestError> {
  let problem: { code?: string; message?: string } = {};
  try {
    problem = (await res.json()) as typeof problem;
  } catch {
    // Not problem+json: keep the generic message.
  }
  return new ApiRequestError(
    res.status,
    problem.code ?? `http.${res.status}`,
    problem.message ?? `The server answered ${res.status}.`,
  );
}

/**
 * The transport plus a hook for "no turn is running" (204 from the stream endpoint): the page
 * may have loaded a message that was still streaming and has finished since.
 */
export function createChatTransport(chatId: string) {
  let onNoActiveTurn: (() => void) | undefined;
  const fetchChecked: typeof fetch = async (input, init) => {
    const res = await fetch(input, { ...init, credentials: "same-origin" });
    if (!res.ok) throw await problemError(res);
    // 204 on the stream endpoint: no turn is running (it may have ended since the page loaded).
    if (res.status === 204) onNoActiveTurn?.();
    return res;
  };
  const transport = new DefaultChatTransport<ChatUIMessage>({
    api: `${chatPath(chatId)}/messages`,
    fetch: fetchChecked,
    prepareSendMessagesRequest: ({ messages, body }) => {
      const lastUser = messages.findLast((m) => m.role === "user");
      const turn = (body ?? {}) as Partial<TurnBody>;
      const servers = Array.isArray(turn.mcp_server_ids)
        ? { mcp_server_ids: turn.mcp_server_ids }
        : {};
      const messagesPath = `${chatPath(chatId)}/messages`;
      // The question's own mode applies: the server defaults to it.
      if (turn.regenerate_of) {
        return {
          api: `${messagesPath}/${encodeURIComponent(turn.regenerate_of)}/regenerate`,
          body: servers,
        };
      }
      const message = {
        content: messageText(lastUser),
        plan_mode: turn.plan_mode === true,
        ...servers,
      };
      if (turn.edit_of) {
        return {
          api: `${messagesPath}/${encodeURIComponent(turn.edit_of)}/edit`,
          body: message,
        };
      }
      return { body: message };
    },
    prepareReconnectToStreamRequest: () => ({ api: `${chatPath(chatId)}/stream` }),
  });
  return {
    transport,
    setNoActiveTurnHandler: (handler: (() => void) | undefined) => {
      onNoActiveTurn = handler;
    },
  };
}
