import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMcpTestServer, type RunningMcpTestServer } from "@/e2e/fixtures/mcp-test-server";
import { copyTemplate } from "@/lib/workspace/templates";
import {
  hostPidsWith,
  isGone,
  killIfAlive,
  makeTempDir,
  removeTempDirs,
  startTestAgent,
  waitFor,
  type TestAgent,
} from "./test-helpers";
import type { EnvLike } from "./mcp-config";
import { everythingEntry } from "@/e2e/fixtures/server-everything";

const HTTP_TOKEN = "s3cret-http-token";
const HOST_SECRET = "TOOLGATE_TEST_HOST_SECRET";

const everything = (env: Record<string, string> = {}) => ({
  command: process.execPath,
  args: [everythingEntry(), "stdio"],
  env,
});

let http: RunningMcpTestServer;
const agents: TestAgent[] = [];
const pids: number[] = [];

async function workspaceWith(mcpServers: unknown, env: EnvLike = {}): Promise<TestAgent> {
  const dir = await makeTempDir();
  await fs.writeFile(path.join(dir, ".mcp.json"), JSON.stringify({ mcpServers }, null, 2));
  const t = await startTestAgent(dir, { env });
  agents.push(t);
  return t;
}

const tools = async (t: TestAgent, refresh = false) => {
  const res = await t.api("GET", `/api/v0/mcp/tools${refresh ? "?refresh=true" : ""}`);
  expect(res.status).toBe(200);
  for (const s of res.body.servers) if (s.pid) pids.push(s.pid);
  return res.body;
};
const server = (listing: any, name: string) => listing.servers.find((s: any) => s.name === name);
const call = (t: TestAgent, tool_name: string, args: object = {}) =>
  t.api("POST", "/api/v0/mcp/call-tool", { tool_name, arguments: args });

beforeAll(async () => {
  process.env[HOST_SECRET] = "must-not-leak";
  http = await startMcpTestServer({
    requireBearer: HTTP_TOKEN,
    transports: ["streamable_http"],
    tools: ["echo", "add"],
  });
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((t) => t.agent.close()));
  for (const pid of pids.splice(0)) killIfAlive(pid);
});

afterAll(async () => {
  delete process.env[HOST_SECRET];
  await http.close();
  await removeTempDirs();
});

describe("workspace MCP", () => {
  it("serves stdio and Streamable HTTP servers, reporting broken ones", async () => {
    const t = await workspaceWith(
      {
        everything: everything({ GREETING: "hi" }),
        remote: {
          type: "http",
          url: http.mcpUrl,
          headers: { Authorization: "Bearer ${TEST_TOKEN}" },
        },
        broken: { command: "definitely-not-a-command-xyz" },
        crashes: {
          command: process.execPath,
          args: ["-e", "console.error('boom on start'); process.exit(3)"],
        },
        bad__name: { command: "x" },
      },
      { TEST_TOKEN: HTTP_TOKEN },
    );
    const listing = await tools(t);
    expect(listing.config).toEqual({ path: ".mcp.json", status: "ok", warnings: [] });
    expect(listing.servers.map((s: any) => [s.name, s.status])).toEqual([
      ["bad__name", "error"],
      ["broken", "error"],
      ["crashes", "error"],
      ["everything", "ok"],
      ["remote", "ok"],
    ]);
    expect(server(listing, "everything")).toMatchObject({
      transport: "stdio",
      tools_count: expect.any(Number),
    });
    expect(server(listing, "remote")).toMatchObject({ transport: "http", tools_count: 2 });
    expect(server(listing, "broken").error).toContain("command not found");
    expect(server(listing, "crashes").error).toMatch(/exited with code 3.*boom on start/s);
    expect(server(listing, "bad__name").error).toContain("'__'");

    const names = listing.tools.map((tool: any) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "everything__echo",
        "everything__get-env",
        "remote__echo",
        "remote__add",
      ]),
    );
    expect(listing.tools.find((tool: any) => tool.name === "remote__add")).toMatchObject({
      server: "remote",
      tool_name: "add",
      description: expect.stringContaining("Adds two numbers"),
      input_schema: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
      },
      annotations: { readOnlyHint: true },
    });

    const echo = await call(t, "everything__echo", { message: "hello" });
    expect(echo.status).toBe(200);
    expect(echo.body.content[0].text).toContain("hello");

    const add = await call(t, "remote__add", { a: 2, b: 3 });
    expect(add.body.structuredContent).toEqual({ sum: 5 });
    expect(http.toolCalls().at(-1)?.headers.authorization).toBe(`Bearer ${HTTP_TOKEN}`);

    // The stdio server sees the scrubbed environment plus its entry's env, nothing else.
    const env = await call(t, "everything__get-env");
    const seen = JSON.parse(env.body.content[0].text);
    expect(seen).toMatchObject({ GREETING: "hi", HOME: t.dir });
    expect(seen[HOST_SECRET]).toBeUndefined();
    expect(Object.keys(seen).sort()).toEqual([
      "GREETING",
      "HOME",
      "HTTPS_PROXY",
      "HTTP_PROXY",
      "LANG",
      "NO_PROXY",
      "PATH",
      "PWD",
      "TMPDIR",
      "USER",
      "http_proxy",
      "https_proxy",
      "no_proxy",
    ]);
  });

  it("answers 400, 404 and 502 as the contract says", async () => {
    const dead = await startMcpTestServer({ transports: ["streamable_http"], tools: ["echo"] });
    const t = await workspaceWith({
      everything: everything(),
      broken: { command: "definitely-not-a-command-xyz" },
      gone: { type: "http", url: dead.mcpUrl },
    });
    expect(server(await tools(t), "gone").status).toBe("ok");
    await dead.close();

    expect((await call(t, "no-separator")).body.code).toBe("mcp.invalid_tool_name");
    expect((await call(t, "__echo")).status).toBe(400);
    expect(await call(t, "nope__echo")).toMatchObject({
      status: 404,
      body: { code: "mcp.unknown_server" },
    });
    expect(await call(t, "everything__nope")).toMatchObject({
      status: 404,
      body: { code: "mcp.unknown_tool" },
    });
    const broken = await call(t, "broken__x");
    expect(broken).toMatchObject({ status: 502, body: { code: "mcp.server_unavailable" } });
    expect(broken.body.message).toContain("command not found");
    const upstream = await call(t, "gone__echo", { text: "x" });
    expect(upstream).toMatchObject({ status: 502, body: { code: "mcp.upstream_error" } });
    expect(upstream.body.message).toContain("Workspace MCP server gone failed to run echo");
    const extra = await t.api("POST", "/api/v0/mcp/call-tool", { tool_name: "a__b", args: {} });
    expect(extra.body.code).toBe("validation.unknown_field");
  });

  it("reports a malformed .mcp.json and recovers when it is fixed", async () => {
    const t = await workspaceWith({});
    await fs.writeFile(path.join(t.dir, ".mcp.json"), '{"mcpServers": {"x": ');
    const bad = await tools(t);
    expect(bad.config).toMatchObject({
      status: "error",
      error: expect.stringContaining("not valid JSON"),
    });
    expect(bad.servers).toEqual([]);
    await fs.writeFile(
      path.join(t.dir, ".mcp.json"),
      JSON.stringify({ mcpServers: { e: everything() } }),
    );
    const good = await tools(t);
    expect(good.config.status).toBe("ok");
    expect(server(good, "e").status).toBe("ok");
  });

  it("picks up edits without a restart and kills a removed server's process group", async () => {
    // "two" forks a grandchild before becoming the server: removing it must end both.
    const wrapped = `sleep 300.5 & exec "$0" "$@"`;
    const t = await workspaceWith({
      one: everything(),
      two: {
        command: "/bin/sh",
        args: ["-c", wrapped, process.execPath, everythingEntry(), "stdio"],
      },
    });
    const before = await tools(t);
    const one = server(before, "one").pid;
    const two = server(before, "two").pid;
    // The server runs in its own PID namespace: find its child on the host by its argument.
    await waitFor(() => hostPidsWith("300.5").length > 0, "the server's child");
    const twoChild = hostPidsWith("300.5")[0]!;
    pids.push(twoChild);
    expect(one).toBeGreaterThan(0);
    expect(two).toBeGreaterThan(0);
    expect(isGone(twoChild)).toBe(false);

    await fs.writeFile(
      path.join(t.dir, ".mcp.json"),
      JSON.stringify({ mcpServers: { one: everything() } }),
    );
    // No request: the file watcher alone reconciles.
    await waitFor(() => isGone(two) && isGone(twoChild), "the removed server's group to stop");
    const after = await tools(t);
    expect(after.servers.map((s: any) => s.name)).toEqual(["one"]);
    expect(server(after, "one").pid).toBe(one);
    expect(isGone(one)).toBe(false);

    // The mtime check on the request sees an addition straight away.
    await fs.writeFile(
      path.join(t.dir, ".mcp.json"),
      JSON.stringify({ mcpServers: { one: everything(), three: everything() } }),
    );
    const added = await tools(t);
    expect(added.servers.map((s: any) => [s.name, s.status])).toEqual([
      ["one", "ok"],
      ["three", "ok"],
    ]);
    expect((await call(t, "three__echo", { message: "x" })).status).toBe(200);

    const refreshed = await tools(t, true);
    expect(server(refreshed, "one").pid).not.toBe(one);
    await waitFor(() => isGone(one), "the old server to stop on refresh");
  });

  it("warns about duplicate names and keeps the first", async () => {
    const dir = await makeTempDir();
    const first = JSON.stringify(everything());
    await fs.writeFile(
      path.join(dir, ".mcp.json"),
      `{"mcpServers": {"e": ${first}, "e": {"command": "definitely-not-a-command-xyz"}}}`,
    );
    const t = await startTestAgent(dir);
    agents.push(t);
    const listing = await tools(t);
    expect(listing.config.warnings).toEqual([
      'server "e" is defined more than once; the first definition is used',
    ]);
    expect(listing.servers).toEqual([expect.objectContaining({ name: "e", status: "ok" })]);
  });

  it("runs the sample-node template's offline notes server", async () => {
    const dir = await makeTempDir();
    await copyTemplate("sample-node", dir);
    const t = await startTestAgent(dir);
    agents.push(t);
    const listing = await tools(t);
    expect(listing.servers).toEqual([
      expect.objectContaining({ name: "notes", status: "ok", tools_count: 2 }),
    ]);
    const added = await call(t, "notes__add_note", { text: "remember the milk" });
    expect(added.body).toEqual({ content: [{ type: "text", text: "Saved. 1 note(s) in total." }] });
    expect(await fs.readFile(path.join(dir, "NOTES.md"), "utf8")).toBe("- remember the milk\n");
    const test = await t.api("POST", "/api/v0/processes/execute", {
      command: "npm test",
      shell: true,
    });
    expect(test.body.exit_code, test.body.output).toBe(0);
  });

  it("leaves no child process behind when the agent stops", async () => {
    const t = await workspaceWith({ a: everything(), b: everything() });
    const listing = await tools(t);
    const bg = await t.api("POST", "/api/v0/processes/execute", {
      command: "sleep",
      args: ["300"],
      background: true,
    });
    const recorded = [server(listing, "a").pid, server(listing, "b").pid, bg.body.pid];
    pids.push(bg.body.pid);
    for (const pid of recorded) expect(isGone(pid)).toBe(false);
    await t.agent.close();
    for (const pid of recorded) expect(isGone(pid), `pid ${pid}`).toBe(true);
  });
});
