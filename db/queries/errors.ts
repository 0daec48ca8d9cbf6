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
