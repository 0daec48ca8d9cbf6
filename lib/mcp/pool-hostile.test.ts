// The pool against the hostile cases of the MCP test server (e2e/fixtures/mcp-hostile.ts):
// credential echoes, responses past the byte cap, bodies that never end, thousands of tools.
import { describe, expect, it } from "vitest";
import { NUL_TEXT } from "@/e2e/fixtures/mcp-hostile";
import type { McpTransportKind, RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { McpToolCallError, type McpEndpoint } from "@/lib/mcp/pool";
import { credentialValues, REDACTION_MARKER } from "@/lib/mcp/redact";
import { withMcpTestServers } from "@/lib/testing/mcp-harness";

const mcp = withMcpTestServers();
const newPool = mcp.newPool;

function endpointOf(
  server: RunningMcpTestServer,
  transport: McpTransportKind,
  headers: Record<string, string> = {},
  secrets: readonly string[] = credentialValues(headers),
): McpEndpoint {
  return {
    serverId: "srv-hostile",
    version: 1,
    url: `${server.url}${transport === "sse" ? "/sse" : "/mcp"}`,
    transport,
    headers,
    secrets,
    userId: "user-1",
  };
}

async function failureOf(promise: Promise<unknown>): Promise<McpToolCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof McpToolCallError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const API_KEY = "sk-live-4f9a8b7c6d5e4f3a2b1c";
const HEADER_SECRET = "hdr/secret+value=with?odd&chars";

describe.each<McpTransportKind>(["streamable_http", "sse"])("over %s", (transport) => {
  it("redacts every credential it sent, in every encoding, from results and errors", async () => {
    const server = await mcp.startServer({ hostile: true });
    const headers = {
      Authorization: `Bearer ${API_KEY}`,
      "X-Custom-Secret": HEADER_SECRET,
    };
    const identity = { "X-Toolgate-User-Id": "user-identity-1234" };
    const pool = newPool();
    const ep = endpointOf(
      server,
      transport,
      { ...headers, ...identity },
      credentialValues(headers),
    );

    const echoed = await pool.callTool(ep, "echo_headers_encoded", {});
    const text = JSON.stringify(echoed);
    expect(text).toContain(REDACTION_MARKER);
    const forms = [
      API_KEY,
      HEADER_SECRET,
      encodeURIComponent(HEADER_SECRET),
      Buffer.from(API_KEY).toString("hex"),
      Buffer.from(HEADER_SECRET).toString("hex"),
      // A 12-byte-aligned slice of the secret's base64, as any offset inside the header block.
      ...[0, 1, 2].map((offset) =>
        Buffer.from(`${"a".repeat(offset)}${API_KEY}`)
          .toString("base64")
          .slice(8, 24),
      ),
    ];
    for (const form of forms) expect(text, form).not.toContain(form);
    // Identity headers are not secrets: the user id comes back as it was.
    expect(text).toContain("user-identity-1234");

    const failed = await pool.callTool(ep, "fail_with_headers", {});
    expect(failed.isError).toBe(true);
    expect(JSON.stringify(failed)).not.toContain(API_KEY);
    expect(JSON.stringify(failed)).toContain(REDACTION_MARKER);

    // The tool list is server output too.
    const listed = await pool.listTools(ep);
    expect(listed.ok).toBe(true);
  });

  it("passes NUL bytes through unchanged; the storage boundary deals with them", async () => {
    const server = await mcp.startServer({ hostile: true, tools: [] });
    const result = await newPool().callTool(endpointOf(server, transport), "nul_bytes", {});
    expect(result.content).toEqual([{ type: "text", text: NUL_TEXT }]);
  });
});

describe("responses past the limits", () => {
  it("cuts a response past the byte cap while reading and fails the call at once", async () => {
    const server = await mcp.startServer({ hostile: true, tools: [] });
    const pool = newPool({ maxResponseBytes: 1024 * 1024 });
    const ep = endpointOf(server, "streamable_http");
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const error = await failureOf(pool.callTool(ep, "huge_response", { bytes: 512 * 1024 * 1024 }));
    expect(error.code).toBe("mcp.response_too_large");
    expect(error.message).toContain("larger than 1048576 bytes");
    // Cut while streaming: far from the call timeout, far from 512 MiB read or held.
    expect(Date.now() - started).toBeLessThan(10_000);
    const [stream] = server.rawStreams();
    expect(stream!.bytesSent).toBeLessThan(64 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
    await expect.poll(() => server.rawStreams()[0]!.closedAt).toBeDefined();

    // The pool recovers: the next call works on a new connection.
    const fine = await pool.callTool(ep, "huge_response", { bytes: 1000 });
    expect(JSON.stringify(fine)).toContain("x".repeat(1000));
  });

  it("cuts an endless event stream at the byte cap", async () => {
    const server = await mcp.startServer({ hostile: true, tools: [] });
    const pool = newPool({ maxResponseBytes: 256 * 1024 });
    const error = await failureOf(
      pool.callTool(endpointOf(server, "streamable_http"), "endless_stream", {}),
    );
    expect(error.code).toBe("mcp.response_too_large");
    await expect.poll(() => server.rawStreams()[0]!.closedAt).toBeDefined();
  });

  it("cuts a body still streaming past the call timeout, socket and all", async () => {
    const server = await mcp.startServer({ hostile: true, tools: [] });
    const pool = newPool({ callTimeoutMs: 500 });
    const started = Date.now();
    const error = await failureOf(
      pool.callTool(endpointOf(server, "streamable_http"), "endless_json", {}),
    );
    expect(error.code).toBe("mcp.timeout");
    expect(Date.now() - started).toBeLessThan(3_000);
    // The response is cut at the call timeout plus the SDK's slack (5 s), not left running.
    await expect
      .poll(() => server.rawStreams()[0]?.closedAt, { timeout: 10_000, interval: 200 })
      .toBeDefined();
    const stream = server.rawStreams()[0]!;
    expect(stream.closedAt! - stream.startedAt).toBeLessThan(8_000);
  }, 20_000);
});

describe("a server with thousands of tools", () => {
  it("keeps at most the listing cap, with capped descriptions, and says it cut", async () => {
    const server = await mcp.startServer({
      tools: [],
      manyTools: { count: 1500, descriptionChars: 5_000 },
    });
    const listed = await newPool().listTools(endpointOf(server, "streamable_http"));
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    expect(listed.tools).toHaveLength(1000);
    expect(listed.truncated).toBe(true);
    for (const tool of listed.tools) expect(tool.description!.length).toBeLessThanOrEqual(2_000);
  }, 30_000);
});
