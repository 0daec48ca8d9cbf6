// Which tool call a server's elicitation belongs to. Pooled connections are shared by every
// chat of a user, and MCP 1.x gives a client no link from a server's request to the call it
// belongs to. So each tool call runs in an async scope (AsyncLocalStorage) holding who answers
// its questions: a request that arrives on the call's own response stream (what a server does
// when it relates the request to the call) runs in that scope. A request on the shared stream
// (the standalone GET stream, the old SSE transport) goes to the only call in progress on the
// connection, or is cancelled when there are several and no way to tell them apart.
//
// While a person is asked, the call's own timers (the pool's call timeout and the response
// deadline) stand still; they start afresh once the answer went back to the server.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Redactor } from "./redact";

export type ElicitationAsk =
  | { mode: "form"; message: string; requestedSchema: Record<string, unknown> }
  | { mode: "url"; message: string; url: string; elicitationId?: string };

export interface ElicitationReply {
  action: "accept" | "decline" | "cancel";
  content?: Record<string, unknown>;
}

/** Who answers the questions a server asks during one tool call. */
export type ElicitationSink = (
  ask: ElicitationAsk,
  signal: AbortSignal,
) => Promise<ElicitationReply>;

/** One round of a 2026-07-28 `input_required` answer: what the retry must carry back. */
export interface InputRound {
  /** The server's opaque state, echoed byte for byte; absent when the server sent none. */
  requestState?: string;
  /** The embedded requests, keyed as the server keyed them. */
  inputRequests: Record<string, unknown>;
}

/**
 * Where a call keeps a round's state while the person is asked (input-required.ts): out of
 * the process's memory, handed back exactly once.
 */
export interface InputRoundStore {
  /** Keeps round number `round` of the call; returns the handle to claim it with. */
  keep(round: number, state: InputRound): Promise<string>;
  /** The kept round, once: undefined when it was already claimed, expired or is gone. */
  claim(handle: string): Promise<InputRound | undefined>;
}

interface Pausable {
  pause(): void;
  resume(): void;
}

/** Questions one call may ask; later ones are declined without asking anybody. */
export const MAX_ELICITATIONS_PER_CALL = 3;
// setTimeout's ceiling (about 24.8 days): a longer delay would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class CallScope {
  private held = 0;
  private readonly timers = new Set<Pausable>();
  asked = 0;
  /**
   * Removes the credentials toolgate sent to the call's server from what that server asks
   * (set by the pool for the call's endpoint): a question is server output like a result.
   */
  redactor: Redactor | undefined;

  constructor(
    readonly sink: ElicitationSink,
    /** The longest a person may take to answer one question. */
    readonly maxWaitMs: number,
    /** Where a 2026-07-28 call's round state waits (else in the call's memory only). */
    readonly rounds?: InputRoundStore,
  ) {}

  get waiting(): boolean {
    return this.held > 0;
  }

  /** Runs `fn` (asking the person) with the call's timers stopped. */
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held++ === 0) for (const t of this.timers) t.pause();
    try {
      return await fn();
    } finally {
      if (--this.held === 0) for (const t of this.timers) t.resume();
    }
  }

  register(timer: Pausable): () => void {
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }
}

const storage = new AsyncLocalStorage<CallScope>();

/** Runs a tool call whose server may ask the person through `sink`. */
export function withElicitation<T>(
  sink: ElicitationSink,
  maxWaitMs: number,
  fn: () => T,
  rounds?: InputRoundStore,
): T {
  return storage.run(new CallScope(sink, maxWaitMs, rounds), fn);
}

/** The call running in this async context, if any. */
export function currentScope(): CallScope | undefined {
  return storage.getStore();
}

/** Runs `fn` outside any call: a connection dialled during a call must not belong to it. */
export function outsideElicitation<A extends unknown[], T>(fn: (...args: A) => T, ...args: A): T {
  return storage.exit(fn, ...args);
}

const inFlight = new WeakMap<object, Set<CallScope>>();

/** Marks the current call as in progress on `client` (the fallback route, see above). */
export async function trackElicitationCall<T>(client: object, fn: () => Promise<T>): Promise<T> {
  const scope = storage.getStore();
  if (!scope) return fn();
  let calls = inFlight.get(client);
  if (!calls) {
    calls = new Set();
    inFlight.set(client, calls);
  }
  calls.add(scope);
  try {
    return await fn();
  } finally {
    calls.delete(scope);
  }
}

/** The call a server's request on `client` belongs to, if it can be told. */
export function scopeFor(client: object): CallScope | undefined {
  const own = storage.getStore();
  if (own) return own;
  const calls = inFlight.get(client);
  return calls?.size === 1 ? calls.values().next().value : undefined;
}

/**
 * How much longer than its own timeout the SDK may let the current call run: the person's
 * time to answer each question the call may ask.
 */
export function elicitationAllowanceMs(): number {
  const scope = storage.getStore();
  if (!scope) return 0;
  return Math.min(scope.maxWaitMs * MAX_ELICITATIONS_PER_CALL, MAX_TIMER_MS / 2);
}

/** A timeout of the current call that stands still while its person is being asked. */
export function pausableTimeout(ms: number, fire: () => void): { clear(): void } {
  const scope = storage.getStore();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const start = () => {
    timer = setTimeout(fire, Math.min(ms, MAX_TIMER_MS));
    timer.unref?.();
  };
  if (!scope) {
    start();
    return { clear: () => clearTimeout(timer) };
  }
  const unregister = scope.register({
    pause: () => {
      clearTimeout(timer);
      timer = undefined;
    },
    resume: start,
  });
  if (!scope.waiting) start();
  return {
    clear: () => {
      clearTimeout(timer);
      unregister();
    },
  };
}
