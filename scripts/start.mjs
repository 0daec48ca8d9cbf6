// `npm start`: the production server on HOSTNAME:PORT. `next start` alone listens on every
// interface whatever HOSTNAME says; the default here is loopback, so a fresh install is not
// reachable from the network until the operator says so (HOSTNAME=0.0.0.0, or an address).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const DEFAULT_HOSTNAME = "127.0.0.1";

// How long an idle keep-alive connection stays open. Node's default (5 s) is shorter than what
// clients and proxies keep idle connections for (browsers about 5 min, load balancers often
// 60 s): a request they send on a connection the server is just closing fails with a reset.
// A server should time out idle connections later than its clients do.
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function listenAddress(env) {
  const hostname = env.HOSTNAME?.trim() || DEFAULT_HOSTNAME;
  const port = env.PORT?.trim() || "3000";
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    throw new Error(`Invalid environment: PORT must be a port number, not "${port}"`);
  }
  if (/\s|\//.test(hostname)) {
    throw new Error(
      `Invalid environment: HOSTNAME must be a host name or address, not "${hostname}"`,
    );
  }
  return { hostname, port };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let address;
  try {
    address = listenAddress(process.env);
  } catch (err) {
    console.error(`[toolgate] cannot start: ${err.message}`);
    process.exit(1);
  }
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const child = spawn(
    process.execPath,
    [
      nextBin,
      "start",
      "--hostname",
      address.hostname,
      "--port",
      address.port,
      "--keepAliveTimeout",
      String(KEEP_ALIVE_TIMEOUT_MS),
    ],
    { stdio: "inherit" },
  );
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
