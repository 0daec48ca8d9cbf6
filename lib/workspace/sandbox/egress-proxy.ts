// The only way out of a workspace's network namespace: an HTTP proxy (CONNECT for https,
// absolute-form requests for plain http) on a Unix socket outside the namespace, reached
// through a forwarder inside it. Every destination is resolved here and checked with the
// same address policy as the app's egress guard, against the address actually dialled:
// loopback (the app, the database, other agents), private, link-local and metadata ranges
// are refused unless WORKSPACE_EGRESS_ALLOWLIST names them. Raw TCP and UDP have no route.
import { lookup } from "node:dns/promises";
import net from "node:net";
import { evaluateAddress, type EgressAllowlist } from "@/lib/net/address-policy";

const MAX_HEAD_BYTES = 64 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;

export interface EgressProxy {
  close(): Promise<void>;
}

function reply(socket: net.Socket, status: string, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Resolves and checks a destination; the address to dial, or why it is refused. */
export async function checkDestination(
  host: string,
  allowlist: EgressAllowlist,
): Promise<{ ok: true; address: string } | { ok: false; reason: string }> {
  const bare = host.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = net.isIP(bare)
      ? [bare]
      : (await lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return { ok: false, reason: `could not resolve ${bare}` };
  }
  for (const address of addresses) {
    const decision = evaluateAddress(address, bare, allowlist);
    if (decision.allowed) return { ok: true, address: decision.address };
  }
  return {
    ok: false,
    reason: `${bare} is not reachable from a workspace (loopback, private and metadata addresses are refused)`,
  };
}

function parseTarget(head: string): { host: string; port: number; rewritten?: string } | null {
  const [requestLine = "", ...rest] = head.split("\r\n");
  const match = /^([A-Z]+) (\S+) (HTTP\/1\.[01])$/.exec(requestLine);
  if (!match) return null;
  const [, method, target, version] = match as unknown as [string, string, string, string];
  if (method === "CONNECT") {
    const hostPort = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(target);
    if (!hostPort) return null;
    return { host: hostPort[1]!, port: Number(hostPort[2]) };
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return null;
  }
  if (url.protocol !== "http:") return null;
  // Forward in origin form; one request per connection keeps a second request on the same
  // connection from reaching another host unchecked.
  const headers = rest.filter((line) => !/^(proxy-connection|connection):/i.test(line));
  const rewritten = [
    `${method} ${url.pathname}${url.search} ${version}`,
    ...headers.slice(0, -2),
    "connection: close",
    "",
    "",
  ].join("\r\n");
  return { host: url.hostname, port: Number(url.port || 80), rewritten };
}

function handle(client: net.Socket, allowlist: EgressAllowlist): void {
  let head = Buffer.alloc(0);
  client.on("error", () => client.destroy());
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end === -1) {
      if (head.length > MAX_HEAD_BYTES) reply(client, "431 Request Header Fields Too Large", "");
      return;
    }
    client.off("data", onData);
    client.pause();
    const text = head.subarray(0, end + 4).toString("latin1");
    const remainder = head.subarray(end + 4);
    const target = parseTarget(text);
    if (!target || target.port < 1 || target.port > 65535) {
      reply(client, "400 Bad Request", "toolgate: not a proxy request");
      return;
    }
    void checkDestination(target.host, allowlist).then((check) => {
      if (!check.ok) {
        reply(client, "403 Forbidden", `toolgate: ${check.reason}`);
        return;
      }
      const upstream = net.connect({ host: check.address, port: target.port });
      upstream.setTimeout(CONNECT_TIMEOUT_MS, () => upstream.destroy());
      upstream.once("connect", () => {
        upstream.setTimeout(0);
        if (target.rewritten === undefined) {
          client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        } else {
          upstream.write(target.rewritten);
        }
        if (remainder.length > 0) upstream.write(remainder);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on("error", () => {
        if (!client.destroyed && client.bytesWritten === 0) {
          reply(client, "502 Bad Gateway", `toolgate: could not connect to ${target.host}`);
        } else {
          client.destroy();
        }
      });
      client.on("close", () => upstream.destroy());
    });
  };
  client.on("data", onData);
}

export async function startEgressProxy(
  socketPath: string,
  allowlist: EgressAllowlist,
): Promise<EgressProxy> {
  const server = net.createServer((socket) => handle(socket, allowlist));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.unref();
  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
