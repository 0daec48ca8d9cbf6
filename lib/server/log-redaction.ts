import { loggableError } from "@/db/queries/errors";

const INSTALLED = Symbol.for("toolgate.logRedaction");

/**
 * Passes every argument of console.error and console.warn through loggableError, so a failed
 * query is logged without its parameters whoever logs it: our own handlers already do, but
 * Next logs errors that escape a page render or a server action itself. Other arguments are
 * passed on unchanged. Idempotent.
 */
export function installLogRedaction(target: Console = console): void {
  const marked = target as Console & { [INSTALLED]?: true };
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;
  for (const level of ["error", "warn"] as const) {
    const original = target[level].bind(target);
    target[level] = (...args: unknown[]) => original(...args.map(loggableError));
  }
}
