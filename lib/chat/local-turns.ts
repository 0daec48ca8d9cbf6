// Turns running on this instance, so a cancel here stops them at once (others poll the flag).
// Its own module so the chat service can abort a turn without importing the runner.
const local = globalThis as unknown as { __toolgateTurns?: Map<string, AbortController> };
const running = (local.__toolgateTurns ??= new Map());

export function trackLocalTurn(turnId: string, controller: AbortController): () => void {
  running.set(turnId, controller);
  return () => running.delete(turnId);
}

export function abortLocalTurn(turnId: string): boolean {
  const controller = running.get(turnId);
  controller?.abort();
  return controller !== undefined;
}
