import { sql } from "drizzle-orm";
import { loggableError } from "@/db/queries/errors";
import { getDb } from "@/lib/server/database";

export const dynamic = "force-dynamic";

const TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("database timed out")), TIMEOUT_MS);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export async function GET(): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  try {
    // Awaits the first open and migrations too: the app is healthy only once it can serve.
    await withTimeout(getDb().then((db) => db.execute(sql`select 1`)));
    return Response.json({ status: "ok", database: "ok" }, { headers });
  } catch (err) {
    console.error("[health] database check failed:", loggableError(err));
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers });
  }
}
