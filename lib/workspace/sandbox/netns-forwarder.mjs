// Runs inside a workspace's network namespace (which has loopback only) and holds it open:
// 127.0.0.1:<port> is forwarded to the agent's egress proxy on a Unix socket outside. Plain
// JavaScript so it starts without a compiler. It exits when its parent (the agent) is gone,
// taking the namespace with it.
import net from "node:net";

const [socketPath, portArg] = process.argv.slice(2);
const port = Number(portArg);
if (!socketPath || !Number.isInteger(port)) {
  console.error("usage: netns-forwarder.mjs <socket> <port>");
  process.exit(2);
}

const server = net.createServer((inbound) => {
  const outbound = net.connect(socketPath);
  inbound.pipe(outbound);
  outbound.pipe(inbound);
  const end = () => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.on("error", end);
  outbound.on("error", end);
  inbound.on("close", end);
  outbound.on("close", end);
});

server.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
server.on("error", (err) => {
  console.error(`forwarder: ${err.message}`);
  process.exit(1);
});

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500);
