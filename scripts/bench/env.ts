// Imported first by the runner: the environment every section's app modules read at load.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { track } from "./temp";

process.env.DATA_DIR ??= track(fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-bench-")));
process.env.APP_URL ??= "http://toolgate.test";
process.env.EGRESS_ALLOWLIST = "127.0.0.1";
// The 1,000-tool figure offers every tool of that server, as a deployment raising the caps would.
process.env.MCP_MAX_TOOLS_PER_SERVER = "1000";
process.env.MCP_MAX_TOOLS_PER_TURN = "1000";
if (process.env.BENCH_DB === "postgres") process.env.TOOLGATE_TEST_DB = "postgres";
