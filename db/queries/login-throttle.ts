import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../client";
import { loginThrottle } from "../schema";

/**
 * Counts one attempt against `key` unless the key is already at `limit` within the window, in
 * one statement: the upsert takes the row lock, so parallel attempts on any number of
 * instances are counted one after another and never more than `limit` get through. A window
 * older than `windowMinutes` starts again at 1. Returns false when the key is throttled.
 */
export async function takeLoginAttempt(
  db: Executor,
  key: string,
  limit: number,
  windowMinutes: number,
): Promise<boolean> {
  const expired = sql`login_throttle.window_started_at <= now() - ${sql.raw(
    `interval '${Math.floor(windowMinutes)} minutes'`,
  )}`;
  const result = await db.execute(sql`
    insert into login_throttle (key, failures, window_started_at)
    values (${key}, 1, now())
    on conflict (key) do update set
      failures = case when ${expired} then 1 else login_throttle.failures + 1 end,
      window_started_at = case when ${expired} then now() else login_throttle.window_started_at end
    where ${expired} or login_throttle.failures < ${limit}
    returning failures`);
  return rowsOf(result).length > 0;
}

/** Gives back an attempt that turned out to be a success. */
export async function returnLoginAttempt(db: Executor, key: string): Promise<void> {
  await db.execute(
    sql`update login_throttle set failures = greatest(failures - 1, 0) where key = ${key}`,
  );
}

/** Forgets a key's failures (a successful sign-in from that source). */
export async function clearLoginAttempts(db: Executor, key: string): Promise<void> {
  await db.execute(sql`delete from ${loginThrottle} where key = ${key}`);
}
