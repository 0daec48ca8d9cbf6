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

// Node socket errors and postgres.js's own codes for a connection that could not be opened or
// was lost. A server that refuses to serve us is as unavailable as one that is not there.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * SQLSTATEs with which a server refuses a connection rather than a query: class 08
 * (connection exception), 53300 too many connections, 57P01-57P03 (shutting down, crash
 * recovery, cannot connect now), class 28 (the server refuses our credentials) and 3D000 (the
 * configured database does not exist). None of them is the caller's fault.
 */
function isRefusalSqlState(code: string): boolean {
  return (
    code.startsWith("08") ||
    code.startsWith("28") ||
    code === "53300" ||
    code === "3D000" ||
    /^57P0[1-3]$/.test(code)
  );
}

/** True when the database could not be reached (as opposed to a query it rejected). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  // Breadth-first through `cause` and AggregateError's `errors` (Node's happy-eyeballs connect
  // reports one error per address tried).
  while (queue.length > 0 && seen.size < 20) {
    const e = queue.shift();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || isRefusalSqlState(code))) {
      return true;
    }
    queue.push((e as { cause?: unknown }).cause);
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner)) queue.push(...inner);
  }
  return false;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * An error made safe for the log: a failed query is reported by its statement and SQLSTATE
 * (and the names of the constraint, table and column), never by its parameters or by the
 * server's message, which can quote a value ("invalid input syntax for type uuid: …", "Key
 * (email)=(…)"). Drizzle puts the parameters into its error's message and stack, so those are
 * dropped too. Errors that did not come from the database are returned unchanged.
 */
export function loggableError(err: unknown): unknown {
  const chain: unknown[] = [];
  for (let e: unknown = err; e && typeof e === "object" && chain.length < 8;) {
    chain.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  const dbIndex = chain.findIndex((e) => {
    const x = e as { query?: unknown; params?: unknown; code?: unknown; severity?: unknown };
    const isDrizzle = typeof x.query === "string" && Array.isArray(x.params);
    const isServer = typeof x.code === "string" && SQLSTATE.test(x.code) && "severity" in x;
    return isDrizzle || isServer;
  });
  if (dbIndex === -1) return err;
  const parts: string[] = [];
  // Wrappers around the database error say what was being done; their messages are ours.
  for (const outer of chain.slice(0, dbIndex)) parts.push(String((outer as Error).message));
  let query: string | undefined;
  const facts: string[] = [];
  for (const e of chain.slice(dbIndex)) {
    const x = e as Record<string, unknown>;
    // PGlite's own error carries query and params as well as the SQLSTATE.
    if (typeof x.query === "string") query ??= x.query;
    if (typeof x.code === "string") {
      facts.push(`code ${x.code}`);
      for (const key of ["constraint_name", "constraint", "table_name", "table", "column_name"]) {
        if (typeof x[key] === "string" && x[key]) facts.push(`${key} ${x[key] as string}`);
      }
      // A connection error's message names a host and port, never a value: keep it.
      if (!SQLSTATE.test(x.code)) facts.push(String(x.message));
    }
  }
  parts.push(
    `database error (${facts.join(", ") || "no code"})${query ? ` in query: ${query}` : ""}`,
  );
  return parts.join(": ");
}
