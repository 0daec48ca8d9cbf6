// Applies database migrations (the app also does this at start), under the migration lock.
import { getEnv } from "@/lib/env";
import { getDbHandle } from "@/lib/server/database";

const handle = await getDbHandle();
console.log(
  `Migrations applied (${handle.kind === "postgres" ? "Postgres" : `PGlite in ${getEnv().dataDir}`}).`,
);
await handle.close();
