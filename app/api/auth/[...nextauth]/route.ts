import { sql } from "drizzle-orm";
import { isDatabaseUnavailable, loggableError } from "@/db/queries/errors";
import { Errors, problemResponse } from "@/lib/errors";
import { authRouteHandlers } from "@/lib/auth/auth";
import { getDb } from "@/lib/server/database";

/**
 * Auth.js catches its own errors and redirects to the sign-in page, so a database that refuses
 * connections would read as "wrong password" or a bare redirect. Every auth request reads the
 * database (sessions, users, throttle): check it first and answer 503 like every other route.
 */
async function databaseDown(req: Request): Promise<Response | undefined> {
  try {
    await (await getDb()).execute(sql`select 1`);
    return undefined;
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    console.error(`[auth] ${req.method} ${new URL(req.url).pathname}:`, loggableError(err));
    return problemResponse(
      Errors.unavailable("database.unavailable", "The database is not reachable right now."),
    );
  }
}

export async function GET(req: Request): Promise<Response> {
  return (await databaseDown(req)) ?? authRouteHandlers.GET(req);
}

export async function POST(req: Request): Promise<Response> {
  return (await databaseDown(req)) ?? authRouteHandlers.POST(req);
}
