import { createServer, type IncomingMessage } from "node:http";
import { closeHttpServer, listen, readBody } from "@/e2e/fixtures/http-helpers";

export interface StubReply {
  status?: number;
  /** An object is sent as JSON; a string as is (e.g. malformed JSON). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type StubRoute = StubReply | ((req: StubRequest) => StubReply);

export interface StubServer {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  requests: StubRequest[];
  paths(): string[];
  /** Replaces the routes; they may refer to `origin`. */
  setRoutes(routes: Record<string, StubRoute>): void;
  close(): Promise<void>;
}

/**
 * A hand-made HTTP server answering fixed replies per "METHOD /path" or "/path" (any method):
 * small metadata, registration and token servers for OAuth edge cases. Anything else is 404.
 */
export async function startStubServer(): Promise<StubServer> {
  let routes: Record<string, StubRoute> = {};
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? "/", "http://stub.invalid");
      const entry: StubRequest = {
        method: req.method ?? "GET",
        path: url.pathname + url.search,
        headers: req.headers,
        body,
      };
      requests.push(entry);
      const route = routes[`${entry.method} ${url.pathname}`] ?? routes[url.pathname];
      const reply: StubReply =
        route === undefined
          ? { status: 404, body: "not found" }
          : typeof route === "function"
            ? route(entry)
            : route;
      const isText = typeof reply.body === "string";
      const payload =
        reply.body === undefined
          ? ""
          : isText
            ? (reply.body as string)
            : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        "content-type": isText ? "text/plain" : "application/json",
        ...reply.headers,
      });
      res.end(payload);
    })();
  });
  const port = await listen(server, 0, "127.0.0.1");
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    paths: () => requests.map((r) => `${r.method} ${r.path}`),
    setRoutes: (next) => {
      routes = next;
      requests.length = 0;
    },
    close: () => closeHttpServer(server),
  };
}
