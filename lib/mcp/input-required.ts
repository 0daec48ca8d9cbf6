// Multi-round-trip requests of the 2026-07-28 wire (SEP-2322). A server that needs the user's
// input answers a `tools/call` with `input_required`: embedded requests (keyed by the server)
// and an opaque `requestState`. toolgate asks the person each embedded elicitation through the
// same machinery as a 2025 server's `elicitation/create` (elicitation.ts: the call's scope, its
// per-call limit, its sink), then calls the tool again on a fresh request with the answers
// (`inputResponses`) and the state echoed byte for byte, for at most MAX_INPUT_ROUNDS rounds.
//
// While the person is asked, the round's state is not held by the call: it waits in the call
// scope's InputRoundStore (Postgres in a chat turn, sealed) and is claimed back exactly once
// for the retry. A state is never sent with any other request, never sent twice, never cached.
//
// toolgate declares elicitation only; an embedded sampling or roots request (or anything else)
// fails this one call with McpInputRequiredError, which the pool reports as `mcp.input_required`.
import type { ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { elicit } from "./elicitation";
import {
  currentScope,
  type CallScope,
  type InputRound,
  type InputRoundStore,
} from "./elicitation-scope";

/** Retries of one call; a server still asking after that fails the call. */
export const MAX_INPUT_ROUNDS = 3;
/** The pause before retrying a round that asked nothing (a server shedding load). */
const STATE_ONLY_PAUSE_MS = 250;
const MAX_KEYS_PER_ROUND = 16;

/**
 * A 2026-07-28 server needs input toolgate cannot give for this call: a sampling or roots
 * request, a client capability it does not declare, a round limit reached, or a round state
 * that could not be claimed. The call fails with this error; the turn goes on.
 */
export class McpInputRequiredError extends Error {
  override readonly name = "McpInputRequiredError";
  /** What the server asked for: methods (e.g. `sampling/createMessage`) or capabilities. */
  readonly methods: string[];

  constructor(toolName: string, methods: string[], why?: string) {
    super(
      why === undefined
        ? `The tool ${toolName} needs input toolgate cannot give (${methods.join(", ") || "unknown"}); only questions to the user (elicitation) are supported.`
        : `The tool ${toolName} needs input from the user, but ${why}.`,
    );
    this.methods = methods;
  }
}

export type RetryParams = { inputResponses?: Record<string, ElicitResult>; requestState?: string };

/** True for a result that asks for input (anything else is complete, SEP-2322). */
export function isInputRequired(result: Record<string, unknown>): boolean {
  return result.resultType === "input_required";
}

function roundOf(result: Record<string, unknown>): InputRound {
  const raw = result.inputRequests;
  const inputRequests =
    typeof raw === "object" && raw !== null && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : {};
  const state = result.requestState;
  return { inputRequests, ...(typeof state === "string" && { requestState: state }) };
}

function methodOf(request: unknown): string {
  const method = (request as { method?: unknown } | null)?.method;
  return typeof method === "string" ? method.slice(0, 64) : "an unknown request";
}

/** A round kept in this call's memory only, claimed once (no store in the call's scope). */
function memoryRounds(): InputRoundStore {
  const kept = new Map<string, InputRound>();
  return {
    keep: async (round, state) => {
      const handle = String(round);
      kept.set(handle, state);
      return handle;
    },
    claim: async (handle) => {
      const state = kept.get(handle);
      kept.delete(handle);
      return state;
    },
  };
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Hands the round to the store; what the call keeps is its handle and the questions. */
async function keepRound(store: InputRoundStore, round: number, result: Record<string, unknown>) {
  const state = roundOf(result);
  return { handle: await store.keep(round, state), inputRequests: state.inputRequests };
}

async function answerRound(
  toolName: string,
  scope: CallScope | undefined,
  inputRequests: Record<string, unknown>,
  signal: AbortSignal,
): Promise<Record<string, ElicitResult>> {
  const entries = Object.entries(inputRequests);
  const unsupported = [
    ...new Set(entries.map(([, r]) => methodOf(r)).filter((m) => m !== "elicitation/create")),
  ];
  if (unsupported.length > 0) throw new McpInputRequiredError(toolName, unsupported);
  if (entries.length > MAX_KEYS_PER_ROUND) {
    throw new McpInputRequiredError(toolName, [], `it asked ${entries.length} questions at once`);
  }
  const responses: Record<string, ElicitResult> = {};
  // One question at a time: the person sees one card after the other, in the server's order.
  for (const [key, request] of entries) {
    responses[key] = await elicit(scope, (request as { params?: unknown }).params, signal);
  }
  return responses;
}

/**
 * Completes a call the server answered with `input_required`: asks, retries through `retry`
 * (a fresh `tools/call` with the original params plus the given ones), and repeats until the
 * server's result is complete. Throws McpInputRequiredError when it cannot be completed.
 */
export async function fulfilInputRequired(
  toolName: string,
  first: Record<string, unknown>,
  retry: (params: RetryParams) => Promise<Record<string, unknown>>,
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown>> {
  const scope = currentScope();
  const store = scope?.rounds ?? memoryRounds();
  const callSignal = signal ?? new AbortController().signal;
  let result = first;
  for (let round = 1; isInputRequired(result); round += 1) {
    if (round > MAX_INPUT_ROUNDS) {
      throw new McpInputRequiredError(
        toolName,
        [],
        `it still asked for input after ${MAX_INPUT_ROUNDS} rounds`,
      );
    }
    // From here the state lives in the store only: the retry reads it back from there.
    const { handle, inputRequests } = await keepRound(store, round, result);
    result = {};
    let responses: Record<string, ElicitResult> = {};
    if (Object.keys(inputRequests).length > 0) {
      responses = await answerRound(toolName, scope, inputRequests, callSignal);
    } else {
      await pause(STATE_ONLY_PAUSE_MS, signal);
    }
    const kept = await store.claim(handle);
    if (kept === undefined) {
      throw new McpInputRequiredError(
        toolName,
        [],
        "the state of its previous round was already used or has expired",
      );
    }
    result = await retry({
      ...(Object.keys(responses).length > 0 && { inputResponses: responses }),
      ...(kept.requestState !== undefined && { requestState: kept.requestState }),
    });
  }
  return result;
}
