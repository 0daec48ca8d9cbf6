import { sql } from "drizzle-orm";
import { bigint, check, pgTable, smallint } from "drizzle-orm/pg-core";

/**
 * One row whose `epoch` every committed change to `mcp_server_configs` or `mcp_server_tools`
 * moves (triggers deferred to commit, migration 0009; values from a sequence). An instance keeps
 * the config list and the catalogues in memory and reads them again only when the epoch moved
 * (db/queries/mcp-config-snapshot.ts).
 */
export const mcpConfigEpoch = pgTable(
  "mcp_config_epoch",
  {
    id: smallint("id").primaryKey(),
    epoch: bigint("epoch", { mode: "number" }).notNull(),
  },
  (t) => [check("mcp_config_epoch_single_row", sql`${t.id} = 1`)],
);
