// The workspace agent as its own process; see lib/workspace/agent/cli.ts for the options.
import { runCli } from "@/lib/workspace/agent/cli";

await runCli(process.argv.slice(2));
