// The first message of a chat created from the new-chat screen: the chat is created first, then
// the conversation page sends this once it has mounted (so the stream has one owner).
export interface PendingTurn {
  content: string;
  plan_mode: boolean;
}

const pending = new Map<string, PendingTurn>();

export const setPendingTurn = (chatId: string, turn: PendingTurn) => pending.set(chatId, turn);
export const peekPendingTurn = (chatId: string) => pending.get(chatId);
export const clearPendingTurn = (chatId: string) => pending.delete(chatId);
