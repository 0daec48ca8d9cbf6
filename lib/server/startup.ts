import "server-only";
import { getEnv } from "@/lib/env";
import { getEgressAllowlist } from "@/lib/net/egress";
import { getDbHandle } from "./database";

export async function startServer(): Promise<void> {
  try {
    const env = getEnv();
    // Fail at start, not on the first outbound request, when the allowlist has a typo.
    getEgressAllowlist();
    const handle = await getDbHandle();
    console.log(
      `[toolgate] database ready (${handle.kind === "postgres" ? "Postgres" : `PGlite in ${env.dataDir}`})`,
    );
  } catch (err) {
    console.error(`[toolgate] cannot start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
