// Requests made with E2E_ADMIN_TOKEN (deployed mode's setup and teardown). Plain Node HTTP on
// purpose: Playwright's request context writes the request headers into error messages and
// traces, and the operator's token must not end up in CI logs or artefacts. A fresh connection
// per request, so a keep-alive socket the server is closing cannot reset a write.
import http from "node:http";
import https from "node:https";
import { ADMIN_TOKEN, APP_URL } from "./constants";

export interface AdminResponse {
  status: number;
  text: string;
}

export function adminRequest(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
): Promise<AdminResponse> {
  const url = new URL(path, APP_URL);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method,
        agent: false,
        timeout: 90_000,
        headers: {
          Authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(payload !== undefined && { "Content-Type": "application/json" }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in 90 s`)));
    req.on("error", (err) => reject(new Error(`${method} ${path}: ${err.message}`)));
    req.end(payload);
  });
}

/** The JSON body of a response with the expected status; otherwise an error naming both. */
export async function adminJson<T>(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  expected: number,
  body?: unknown,
): Promise<T> {
  const res = await adminRequest(method, path, body);
  if (res.status !== expected) {
    throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${res.text}`);
  }
  return (res.text === "" ? undefined : JSON.parse(res.text)) as T;
}
