import "server-only";
// Where a chat turn's 2026-07-28 tool call keeps the state of an `input_required` round while
// the person is asked (lib/mcp/input-required.ts): a row of mcp_input_rounds, keyed by the turn,
// the call and the round, the server's requestState and embedded requests sealed with the app's
// key ring (they are the server's and may carry secrets). The retry claims it exactly once.
import { randomUUID } from "node:crypto";
import type { Executor } from "@/db/client";
import { claimInputRound, insertInputRound } from "@/db/queries/input-rounds";
import { openSecret, sealSecret, secretAad } from "@/lib/crypto/secrets";
import { getEnv } from "@/lib/env";
import {
  MAX_ELICITATIONS_PER_CALL,
  type InputRound,
  type InputRoundStore,
} from "@/lib/mcp/elicitation-scope";

const aadOf = (id: string) => secretAad("mcp_input_rounds", "state_enc", id);
/** Beyond the person's time for every question a call may ask: the retry itself. */
const SLACK_MS = 60_000;

export interface RoundOwner {
  chatId: string;
  turnId: string;
  toolCallId: string;
}

export function inputRoundStore(db: Executor, owner: RoundOwner): InputRoundStore {
  return {
    async keep(round: number, state: InputRound): Promise<string> {
      const id = randomUUID();
      const ttlMs = getEnv().APPROVAL_TIMEOUT_S * 1000 * MAX_ELICITATIONS_PER_CALL + SLACK_MS;
      await insertInputRound(db, {
        id,
        chatId: owner.chatId,
        turnId: owner.turnId,
        toolCallId: owner.toolCallId,
        round,
        stateEnc: sealSecret(JSON.stringify(state), aadOf(id)),
        expiresAt: new Date(Date.now() + ttlMs),
      });
      return id;
    },
    async claim(handle: string): Promise<InputRound | undefined> {
      const sealed = await claimInputRound(db, handle);
      if (sealed === undefined) return undefined;
      return JSON.parse(openSecret(sealed, aadOf(handle))) as InputRound;
    },
  };
}
