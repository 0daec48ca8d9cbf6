import { describe, expect, it } from "vitest";
import { parseJsonFirstWins } from "./json-first-wins";
import { expandVars, parseMcpConfig, serverNameProblem, type EnvLike } from "./mcp-config";

const parse = (value: unknown, env: EnvLike = {}) =>
  parseMcpConfig(typeof value === "string" ? value : JSON.stringify(value), env);

describe("parseMcpConfig", () => {
  it("infers the transport: explicit type wins, command means stdio, url means http", () => {
    const config = parse({
      mcpServers: {
        local: { command: "node", args: ["server.js"], env: { A: "1" } },
        remote: { url: "https://example.com/mcp" },
        legacy: { type: "sse", url: "https://example.com/sse", headers: { X: "y" } },
        explicit: { type: "stdio", command: "srv", url: "https://ignored.example" },
        alias: { type: "streamable-http", url: "http://127.0.0.1:1/mcp" },
      },
    });
    expect(config.status).toBe("ok");
    expect(config.invalid).toEqual([]);
    expect(config.servers).toEqual([
      { name: "local", transport: "stdio", command: "node", args: ["server.js"], env: { A: "1" } },
      { name: "remote", transport: "http", url: "https://example.com/mcp", headers: {} },
      { name: "legacy", transport: "sse", url: "https://example.com/sse", headers: { X: "y" } },
      { name: "explicit", transport: "stdio", command: "srv", args: [], env: {} },
      { name: "alias", transport: "http", url: "http://127.0.0.1:1/mcp", headers: {} },
    ]);
  });

  it("expands ${VAR} and ${VAR:-default} from the given environment only", () => {
    const config = parse(
      {
        mcpServers: {
          api: {
            type: "http",
            url: "${BASE:-http://localhost:9}/mcp",
            headers: { Authorization: "Bearer ${API_TOKEN}" },
          },
          tool: { command: "${BIN}", args: ["--x=${EMPTY:-fallback}"], env: { K: "${API_TOKEN}" } },
          missing: { command: "x", env: { K: "${NOT_SET}" } },
          agentToken: { command: "x", args: ["${TOOLGATE_AGENT_TOKEN}"] },
        },
      },
      { API_TOKEN: "t0k", BIN: "/bin/srv", EMPTY: "", TOOLGATE_AGENT_TOKEN: "agent-secret" },
    );
    expect(config.servers).toEqual([
      {
        name: "api",
        transport: "http",
        url: "http://localhost:9/mcp",
        headers: { Authorization: "Bearer t0k" },
      },
      {
        name: "tool",
        transport: "stdio",
        command: "/bin/srv",
        args: ["--x=fallback"],
        env: { K: "t0k" },
      },
    ]);
    expect(config.invalid).toEqual([
      { name: "missing", transport: "stdio", error: expect.stringContaining("NOT_SET is not set") },
      {
        name: "agentToken",
        transport: "stdio",
        error: expect.stringContaining("TOOLGATE_AGENT_TOKEN is not set"),
      },
    ]);
  });

  it("refuses bad server names and incomplete entries, keeping the rest", () => {
    const config = parse({
      mcpServers: {
        a__b: { command: "x" },
        _lead: { command: "x" },
        trail_: { command: "x" },
        "has space": { command: "x" },
        nothing: {},
        badType: { type: "ws", url: "ws://x" },
        notObject: "node server.js",
        badUrl: { type: "http", url: "file:///etc/passwd" },
        fine_name: { command: "x" },
      },
    });
    expect(config.servers.map((s) => s.name)).toEqual(["fine_name"]);
    const errors = Object.fromEntries(config.invalid.map((s) => [s.name, s.error]));
    expect(errors["a__b"]).toContain("'__'");
    expect(errors._lead).toContain("start or end");
    expect(errors.trail_).toContain("start or end");
    expect(errors["has space"]).toContain("letters, digits");
    expect(errors.nothing).toContain("command (stdio) or a url");
    expect(errors.badType).toContain("invalid entry: type");
    expect(errors.notObject).toContain("invalid entry");
    expect(errors.badUrl).toContain("http(s)");
  });

  it("lets the first of two equal names win and warns", () => {
    const text = `{"mcpServers": {"dup": {"command": "first"}, "other": {"command": "o"}, "dup": {"command": "second"}}}`;
    const config = parse(text);
    expect(config.servers).toEqual([
      { name: "dup", transport: "stdio", command: "first", args: [], env: {} },
      { name: "other", transport: "stdio", command: "o", args: [], env: {} },
    ]);
    expect(config.warnings).toEqual([
      'server "dup" is defined more than once; the first definition is used',
    ]);
  });

  it("reports malformed files as a whole", () => {
    expect(parse("{ nope").status).toBe("error");
    expect(parse("{ nope").error).toMatch(/not valid JSON/);
    expect(parse({ servers: {} })).toMatchObject({
      status: "error",
      error: expect.stringContaining("mcpServers"),
    });
    expect(parse({ mcpServers: [] }).status).toBe("error");
  });
});

describe("helpers", () => {
  it("names", () => {
    expect(serverNameProblem("github")).toBeUndefined();
    expect(serverNameProblem("my-server_2")).toBeUndefined();
    expect(serverNameProblem("x__y")).toBeDefined();
    expect(serverNameProblem("")).toBeDefined();
  });

  it("expandVars leaves $VAR without braces alone", () => {
    const missing = new Set<string>();
    expect(expandVars("$HOME ${A}${B:-b}", { A: "a", HOME: "/h" }, missing)).toBe("$HOME ab");
    expect(missing.size).toBe(0);
  });

  it("parseJsonFirstWins parses like JSON.parse apart from duplicates", () => {
    const text = `{"a":[1,-2.5e3,true,null,"s\\"q\\u00e9"],"b":{"__proto__":{"x":1}},"a":0}`;
    const { value, duplicates } = parseJsonFirstWins(text);
    expect(value).toEqual({
      a: [1, -2500, true, null, 's"qé'],
      b: JSON.parse(`{"__proto__":{"x":1}}`),
    });
    expect(Object.getPrototypeOf((value as any).b)).toBe(Object.prototype);
    expect(duplicates).toEqual(["/a"]);
  });
});
