import { once } from "node:events";
import http from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { request as undiciRequest } from "undici";
import { afterEach, describe, expect, it } from "vitest";

import {
  createEgressDispatcher,
  createGuardedFetch,
  DEFAULT_CONNECT_TIMEOUT_MS,
  EgressError,
  findEgressError,
  getDefaultGuardedFetch,
  getEgressAllowlist,
  type EgressResolver,
  type GuardedFetch,
} from "@/lib/net/egress";

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface TestServer {
  origin: string;
  port: number;
  /** TCP connections accepted, so a test can prove nothing was dialled. */
  connections: number;
  requests: SeenRequest[];
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function startServer(handler: Handler, host = "127.0.0.1", port = 0): Promise<TestServer> {
  const state: TestServer = { origin: "", port: 0, connections: 0, requests: [] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      state.requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
      });
      handler(req, res, body);
    });
  });
  server.on("connection", () => {
    state.connections += 1;
  });
  server.listen(port, host);
  await once(server, "listening");
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  state.port = (server.address() as AddressInfo).port;
  state.origin = `http://${host.includes(":") ? `[${host}]` : host}:${state.port}`;
  return state;
}

const ok: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
};

function guarded(options: Parameters<typeof createGuardedFetch>[0]): GuardedFetch {
  const fetchFn = createGuardedFetch(options);
  cleanups.push(() => fetchFn.dispatcher.close());
  return fetchFn;
}

function staticResolver(...addresses: string[]): EgressResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = async (hostname: string) => {
    calls.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(resolver, { calls });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

async function egressRejection(promise: Promise<unknown>): Promise<EgressError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(EgressError);
  return error as EgressError;
}

describe("destination policy at connect time", () => {
  it("refuses loopback without an allowlist and dials nothing", async () => {
    const server = await startServer(ok);
    const fetchFn = guarded({ allowlist: "" });

    const error = await egressRejection(fetchFn(`${server.origin}/mcp?token=secret`));

    expect(error.code).toBe("egress.destination_not_allowed");
    expect(error.host).toBe("127.0.0.1");
    expect(error.address).toBe("127.0.0.1");
    expect(error.category).toBe("loopback");
    expect(error.message).not.toContain("secret");
    expect(server.connections).toBe(0);
  });

  it.each(["127.0.0.1", "127.0.0.0/8", "::ffff:127.0.0.1"])(
    "allows 127.0.0.1 when the allowlist has %s",
    async (entry) => {
      const server = await startServer(ok);
      const fetchFn = guarded({ allowlist: entry });

      const response = await fetchFn(`${server.origin}/hello`);

      expect(response.status).toBe(200);
      expect(await response.text()).toBe("ok");
      expect(server.requests.map((r) => r.url)).toEqual(["/hello"]);
    },
  );

  it("allows localhost by name using the system resolver", async () => {
    const server = await startServer(ok, "localhost");
    const fetchFn = guarded({ allowlist: ["localhost"] });

    const response = await fetchFn(`http://localhost:${server.port}/`);

    expect(response.status).toBe(200);
    expect(server.connections).toBe(1);
  });

  it("refuses localhost with the system resolver when nothing names it", async () => {
    const server = await startServer(ok, "localhost");
    const fetchFn = guarded({ allowlist: "10.0.0.0/8" });

    const error = await egressRejection(fetchFn(`http://localhost:${server.port}/`));

    expect(error.host).toBe("localhost");
    expect(error.category).toBe("loopback");
    expect(server.connections).toBe(0);
  });

  it("refuses a literal IPv6 loopback and a metadata address", async () => {
    const server = await startServer(ok, "::1");
    const fetchFn = guarded({ allowlist: "127.0.0.1" });

    const v6 = await egressRejection(fetchFn(`${server.origin}/`));
    expect(v6).toMatchObject({ host: "::1", category: "loopback" });
    expect(server.connections).toBe(0);

    const metadata = await egressRejection(fetchFn("http://169.254.169.254/latest/meta-data/"));
    expect(metadata).toMatchObject({
      code: "egress.destination_not_allowed",
      category: "metadata",
    });
  });

  it("refuses a name whose lookup returns a private address", async () => {
    const server = await startServer(ok);
    const lookup = staticResolver("127.0.0.1");
    const fetchFn = guarded({ allowlist: "", lookup });

    const error = await egressRejection(fetchFn(`http://mcp.internal.test:${server.port}/`));

    expect(lookup.calls).toEqual(["mcp.internal.test"]);
    expect(error).toMatchObject({ host: "mcp.internal.test", address: "127.0.0.1" });
    expect(error.message).toContain("mcp.internal.test (127.0.0.1)");
    expect(server.connections).toBe(0);
  });

  it("lets an allowlisted name reach a private address", async () => {
    const server = await startServer(ok);
    const fetchFn = guarded({
      allowlist: "MCP.Internal.Test",
      lookup: staticResolver("127.0.0.1"),
    });

    const response = await fetchFn(`http://mcp.internal.test:${server.port}/`);

    expect(await response.text()).toBe("ok");
    expect(server.requests[0]?.headers.host).toBe(`mcp.internal.test:${server.port}`);
  });

  it("refuses when any resolved address is disallowed, even after a public one", async () => {
    const server = await startServer(ok);
    const fetchFn = guarded({ allowlist: "", lookup: staticResolver("8.8.8.8", "127.0.0.1") });

    const error = await egressRejection(fetchFn(`http://mixed.test:${server.port}/`));

    expect(error.address).toBe("127.0.0.1");
    expect(server.connections).toBe(0);
  });

  it("judges each connection's own lookup, so a rebinding answer is refused", async () => {
    // 127.0.0.2 stands in for a public address (allowlisted); the second answer
    // rebinds the same name to 127.0.0.1 on the same port.
    let outside: TestServer | undefined;
    let inside: TestServer | undefined;
    for (let attempt = 0; attempt < 5 && inside === undefined; attempt += 1) {
      outside = await startServer((_req, res) => {
        res.writeHead(200, { connection: "close" });
        res.end("outside");
      }, "127.0.0.2");
      try {
        inside = await startServer(ok, "127.0.0.1", outside.port);
      } catch {
        inside = undefined;
      }
    }
    if (outside === undefined || inside === undefined) throw new Error("no shared port found");

    const answers = ["127.0.0.2", "127.0.0.1"];
    const calls: string[] = [];
    const lookup: EgressResolver = async (hostname) => {
      calls.push(hostname);
      const address = answers[Math.min(calls.length - 1, answers.length - 1)] ?? "";
      return [{ address, family: 4 }];
    };
    const fetchFn = guarded({ allowlist: "127.0.0.2", lookup });
    const url = `http://rebind.test:${outside.port}/`;

    expect(await (await fetchFn(url)).text()).toBe("outside");
    const error = await egressRejection(fetchFn(url));

    expect(calls).toEqual(["rebind.test", "rebind.test"]);
    expect(error.address).toBe("127.0.0.1");
    expect(outside.connections).toBe(1);
    expect(inside.connections).toBe(0);
  });

  it("passes resolver failures through unchanged", async () => {
    const failure = Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.test"), {
      code: "ENOTFOUND",
    });
    const fetchFn = guarded({
      allowlist: "",
      lookup: async () => {
        throw failure;
      },
    });

    const error = await rejection(fetchFn("http://nowhere.test/"));

    expect(findEgressError(error)).toBeUndefined();
    expect((error as { cause?: unknown }).cause).toBe(failure);
  });

  it("guards plain undici requests through the dispatcher", async () => {
    const server = await startServer(ok);
    const blocked = createEgressDispatcher({ allowlist: "" });
    const allowed = createEgressDispatcher({ allowlist: "127.0.0.1" });
    cleanups.push(
      () => blocked.close(),
      () => allowed.close(),
    );

    const error = await rejection(undiciRequest(`${server.origin}/`, { dispatcher: blocked }));
    expect(findEgressError(error)?.code).toBe("egress.destination_not_allowed");
    expect(server.connections).toBe(0);

    const response = await undiciRequest(`${server.origin}/`, { dispatcher: allowed });
    expect(await response.body.text()).toBe("ok");
  });

  it("throws on an invalid allowlist, naming the entry", () => {
    expect(() => createEgressDispatcher({ allowlist: "127.0.0.1, 10.0.0.0/40" })).toThrow(
      /"10\.0\.0\.0\/40"/,
    );
  });
});

describe("redirects", () => {
  const allowlist = "127.0.0.1";

  function redirectTo(location: (server: TestServer) => string, status = 302) {
    let self: TestServer | undefined;
    const handler: Handler = (req, res) => {
      if (req.url === "/final") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("final");
        return;
      }
      res.writeHead(status, { location: location(self as TestServer) });
      res.end("redirecting");
    };
    return {
      start: async () => {
        self = await startServer(handler);
        return self;
      },
    };
  }

  it("follows a same-origin redirect and keeps credentials", async () => {
    const server = await redirectTo(() => "/final").start();
    const fetchFn = guarded({ allowlist });

    const response = await fetchFn(`${server.origin}/start`, {
      headers: { authorization: "Bearer same-origin" },
    });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe("final");
    expect(server.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ["/start", "Bearer same-origin"],
      ["/final", "Bearer same-origin"],
    ]);
  });

  it.each([
    ["authorization", "Bearer top-secret-token", undefined],
    ["cookie", "session=top-secret-token", undefined],
    ["proxy-authorization", "Basic top-secret-token", undefined],
    ["x-api-key", "top-secret-token", ["X-Api-Key"]],
  ])(
    "refuses a cross-origin redirect when %s is sent",
    async (header, value, credentialHeaders) => {
      const other = await startServer(ok);
      const server = await redirectTo(() => `${other.origin}/final?code=secret-code`).start();
      const fetchFn = guarded({ allowlist, credentialHeaders });

      const error = await egressRejection(
        fetchFn(`${server.origin}/start`, { headers: { [header]: value } }),
      );

      expect(error.code).toBe("egress.redirect_not_allowed");
      expect(error.message).toContain(other.origin);
      expect(error.message).not.toContain("top-secret-token");
      expect(error.message).not.toContain("secret-code");
      expect(other.connections).toBe(0);
    },
  );

  it("follows a cross-origin redirect that carries no credentials", async () => {
    const other = await startServer(ok);
    const server = await redirectTo(() => `${other.origin}/landing`).start();
    const fetchFn = guarded({ allowlist });

    const response = await fetchFn(`${server.origin}/start`, { headers: { "x-trace": "1" } });

    expect(await response.text()).toBe("ok");
    expect(other.requests.map((r) => [r.url, r.headers["x-trace"]])).toEqual([["/landing", "1"]]);
  });

  it("treats a custom header as harmless unless declared a credential", async () => {
    const other = await startServer(ok);
    const server = await redirectTo(() => `${other.origin}/`).start();
    const fetchFn = guarded({ allowlist });

    const response = await fetchFn(`${server.origin}/start`, { headers: { "x-api-key": "k" } });

    expect(response.status).toBe(200);
    expect(other.connections).toBe(1);
  });

  it("refuses a redirect to a disallowed address before dialling it", async () => {
    const internal = await startServer(ok, "127.0.0.2");
    const server = await redirectTo(() => `${internal.origin}/final`).start();
    const fetchFn = guarded({ allowlist });

    const error = await egressRejection(fetchFn(`${server.origin}/start`));

    expect(error).toMatchObject({ code: "egress.destination_not_allowed", address: "127.0.0.2" });
    expect(server.requests).toHaveLength(1);
    expect(internal.connections).toBe(0);
  });

  it("refuses a redirect to a non-http scheme", async () => {
    const server = await redirectTo(() => "file:///etc/passwd").start();
    const fetchFn = guarded({ allowlist });

    const error = await egressRejection(fetchFn(`${server.origin}/start`));

    expect(error.code).toBe("egress.redirect_not_allowed");
  });

  it("caps a redirect loop at 5 hops", async () => {
    const server = await redirectTo(() => "/loop").start();
    const fetchFn = guarded({ allowlist });

    const error = await egressRejection(fetchFn(`${server.origin}/loop`));

    expect(error.code).toBe("egress.redirect_not_allowed");
    expect(error.message).toContain("Too many redirects");
    expect(server.requests).toHaveLength(6);
  });

  it("follows exactly 5 redirects", async () => {
    const server = await startServer((req, res) => {
      const hop = Number(new URL(req.url ?? "/", "http://x").searchParams.get("hop") ?? "0");
      if (hop < 5) {
        res.writeHead(302, { location: `/?hop=${hop + 1}` });
        res.end();
      } else {
        res.end(`hop ${hop}`);
      }
    });
    const fetchFn = guarded({ allowlist });

    expect(await (await fetchFn(`${server.origin}/`)).text()).toBe("hop 5");
  });

  it.each([
    [303, "POST", "GET", ""],
    [303, "PUT", "GET", ""],
    [301, "POST", "GET", ""],
    [302, "POST", "GET", ""],
    [302, "PUT", "PUT", "payload"],
    [307, "POST", "POST", "payload"],
    [308, "POST", "POST", "payload"],
  ])("a %i after %s continues as %s", async (status, method, nextMethod, nextBody) => {
    const server = await redirectTo(() => "/final", status).start();
    const fetchFn = guarded({ allowlist });

    const response = await fetchFn(`${server.origin}/start`, {
      method,
      headers: { "content-type": "text/plain" },
      body: "payload",
    });

    expect(response.status).toBe(200);
    const final = server.requests[1];
    expect(final?.method).toBe(nextMethod);
    expect(final?.body).toBe(nextBody);
    expect(final?.headers["content-type"]).toBe(nextBody === "" ? undefined : "text/plain");
  });

  it('returns the redirect itself with redirect: "manual"', async () => {
    const server = await redirectTo(() => "/final").start();
    const fetchFn = guarded({ allowlist });

    const response = await fetchFn(`${server.origin}/start`, { redirect: "manual" });

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/final");
    expect(server.requests).toHaveLength(1);
  });

  it('fails on a redirect with redirect: "error"', async () => {
    const server = await redirectTo(() => "/final").start();
    const fetchFn = guarded({ allowlist });

    const error = await rejection(fetchFn(`${server.origin}/start`, { redirect: "error" }));

    expect(error).toBeInstanceOf(TypeError);
    expect(server.requests).toHaveLength(1);
  });

  it("returns a redirect status without Location as is", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(302);
      res.end("no location");
    });
    const fetchFn = guarded({ allowlist });

    const response = await fetchFn(`${server.origin}/`);

    expect(response.status).toBe(302);
    expect(await response.text()).toBe("no location");
  });
});

describe("request and response shapes", () => {
  const allowlist = "127.0.0.1";

  it("accepts a global Request with global Headers and a body", async () => {
    const server = await startServer(ok);
    const fetchFn = guarded({ allowlist });

    const request = new Request(`${server.origin}/rpc`, {
      method: "POST",
      headers: new Headers({ "content-type": "application/json", authorization: "Bearer t" }),
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    const response = await fetchFn(request);

    expect(response.status).toBe(200);
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      url: "/rpc",
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
      headers: { "content-type": "application/json", authorization: "Bearer t" },
    });
  });

  it("accepts a URL object, a Headers init and a URLSearchParams body (OAuth token call)", async () => {
    const server = await startServer(ok);
    const fetchFn = guarded({ allowlist });

    await fetchFn(new URL(`${server.origin}/token`), {
      method: "POST",
      headers: new Headers({ accept: "application/json" }),
      body: new URLSearchParams({ grant_type: "authorization_code", code: "abc" }),
    });

    expect(server.requests[0]?.body).toBe("grant_type=authorization_code&code=abc");
    expect(server.requests[0]?.headers["content-type"]).toBe(
      "application/x-www-form-urlencoded;charset=UTF-8",
    );
  });

  it("returns a global Response reporting the final url and whether it redirected", async () => {
    const server = await startServer((req, res) => {
      if (req.url === "/start") {
        res.writeHead(302, { location: "/end", "set-cookie": "a=1" });
        res.end();
      } else {
        res.writeHead(201, "Made It", { "set-cookie": ["b=2", "c=3"], "x-final": "yes" });
        res.end("done");
      }
    });
    const fetchFn = guarded({ allowlist });

    const redirected = await fetchFn(`${server.origin}/start`);
    const direct = await fetchFn(`${server.origin}/end`);

    expect(redirected).toBeInstanceOf(Response);
    expect(redirected.headers).toBeInstanceOf(Headers);
    expect(redirected).toMatchObject({ status: 201, statusText: "Made It", redirected: true });
    expect(redirected.url).toBe(`${server.origin}/end`);
    expect(redirected.headers.get("x-final")).toBe("yes");
    expect(redirected.headers.getSetCookie()).toEqual(["b=2", "c=3"]);
    expect(await redirected.text()).toBe("done");
    expect(direct.redirected).toBe(false);
    expect(await direct.text()).toBe("done");
  });

  it("returns null-body statuses without a body", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const fetchFn = guarded({ allowlist });

    const response = await fetchFn(`${server.origin}/`, { method: "DELETE" });

    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it("streams the response body as a web ReadableStream with readable headers", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "mcp-session-id": "abc" });
      res.write("data: one\n\n");
      setTimeout(() => res.end("data: two\n\n"), 20);
    });
    const fetchFn = guarded({ allowlist });

    const response = await fetchFn(`${server.origin}/sse`);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("mcp-session-id")).toBe("abc");
    const body = response.body;
    if (body === null) throw new Error("expected a body");
    expect(body).toBeInstanceOf(ReadableStream);

    let text = "";
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(text).toBe("data: one\n\ndata: two\n\n");
  });
});

describe("timeouts and cancellation", () => {
  const silent: Handler = () => {
    // Accept the request and never answer.
  };

  it("honours an AbortSignal while waiting for a response", async () => {
    const server = await startServer(silent);
    const fetchFn = guarded({ allowlist: "127.0.0.1" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();

    const error = await rejection(fetchFn(`${server.origin}/`, { signal: controller.signal }));

    expect((error as Error).name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.requests).toHaveLength(1);
  });

  it("does not dial with an already aborted signal", async () => {
    const server = await startServer(ok);
    const fetchFn = guarded({ allowlist: "127.0.0.1" });

    const error = await rejection(fetchFn(`${server.origin}/`, { signal: AbortSignal.abort() }));

    expect((error as Error).name).toBe("AbortError");
    expect(server.connections).toBe(0);
  });

  it("gives up connecting after connectTimeoutMs", async () => {
    // A resolver that never answers keeps the socket in its connect phase,
    // which is what the connect timeout bounds.
    const fetchFn = guarded({
      allowlist: "",
      connectTimeoutMs: 150,
      lookup: () => new Promise(() => {}),
    });
    const started = Date.now();

    const error = await rejection(fetchFn("http://hangs.test/"));

    const elapsed = Date.now() - started;
    expect((error as { cause?: { code?: string } }).cause?.code).toBe("UND_ERR_CONNECT_TIMEOUT");
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(3_000);
  });

  it("defaults the connect timeout to 10 s", () => {
    expect(DEFAULT_CONNECT_TIMEOUT_MS).toBe(10_000);
  });
});

describe("EGRESS_ALLOWLIST defaults", () => {
  function withAllowlist(value: string | undefined) {
    const previous = process.env.EGRESS_ALLOWLIST;
    if (value === undefined) delete process.env.EGRESS_ALLOWLIST;
    else process.env.EGRESS_ALLOWLIST = value;
    cleanups.push(async () => {
      if (previous === undefined) delete process.env.EGRESS_ALLOWLIST;
      else process.env.EGRESS_ALLOWLIST = previous;
    });
  }

  it("parses the variable and follows changes to it", () => {
    withAllowlist("localhost, 10.0.0.0/8");
    expect(getEgressAllowlist().entries).toEqual(["localhost", "10.0.0.0/8"]);
    process.env.EGRESS_ALLOWLIST = "127.0.0.1";
    expect(getEgressAllowlist().entries).toEqual(["127.0.0.1"]);
    delete process.env.EGRESS_ALLOWLIST;
    expect(getEgressAllowlist().entries).toEqual([]);
  });

  it("throws naming the bad entry", () => {
    withAllowlist("localhost, 300.1.1.1");
    expect(() => getEgressAllowlist()).toThrow(/EGRESS_ALLOWLIST.*"300\.1\.1\.1"/);
  });

  it("the default guarded fetch uses the current variable", async () => {
    const server = await startServer(ok);
    withAllowlist("127.0.0.1");
    const fetchFn = getDefaultGuardedFetch();
    expect(getDefaultGuardedFetch()).toBe(fetchFn);

    expect((await fetchFn(`${server.origin}/`)).status).toBe(200);

    process.env.EGRESS_ALLOWLIST = "10.0.0.0/8";
    const error = await egressRejection(fetchFn(`${server.origin}/`));
    expect(error.code).toBe("egress.destination_not_allowed");
    expect(server.connections).toBe(1);
  });

  it("applies declared credential headers on the default fetch", async () => {
    const other = await startServer(ok);
    const server = await startServer((_req, res) => {
      res.writeHead(307, { location: `${other.origin}/` });
      res.end();
    });
    withAllowlist("127.0.0.1");

    const error = await egressRejection(
      getDefaultGuardedFetch({ credentialHeaders: ["x-api-key"] })(`${server.origin}/`, {
        headers: { "x-api-key": "k" },
      }),
    );

    expect(error.code).toBe("egress.redirect_not_allowed");
    expect(other.connections).toBe(0);
  });
});

describe("findEgressError", () => {
  it("finds an EgressError through nested causes", () => {
    const egress = new EgressError("egress.destination_not_allowed", "refused", { host: "h" });
    const wrapped = new Error("outer", { cause: new TypeError("fetch failed", { cause: egress }) });
    expect(findEgressError(wrapped)).toBe(egress);
    expect(findEgressError(new Error("plain"))).toBeUndefined();
    expect(findEgressError(undefined)).toBeUndefined();
  });
});
