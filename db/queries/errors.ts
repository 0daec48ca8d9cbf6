/** True for a unique-constraint violation from either driver (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  let e: unknown = err;
  // Drizzle wraps driver errors; the SQLSTATE sits on the cause.
  for (let depth = 0; e && depth < 4; depth++) {
    const candidate = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (candidate.code === "23505") {
      if (!constraint) return true;
      const name = candidate.constraint ?? candidate.constraint_name;
      return name === constraint || String((e as Error).message ?? "").includes(constraint);
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/** True when the database could not be reached (as opposed to a query it rejected). */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      // SQLSTATE class 08 is "connection exception"; 57P0x are shutdown / cannot-connect-now.
      if (CONNECTION_CODES.has(code) || code.startsWith("08") || /^57P0[1-3]$/.test(code))
        return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
