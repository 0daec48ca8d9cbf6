import { describe, expect, it } from "vitest";
import { decide, decideWorkspaceMcp, type TurnPolicy } from "./tool-policy";
import {
  matchWorkspaceServer,
  urlPrefixProblem,
  type WorkspaceMcpRule,
  type WorkspaceServerLaunch,
} from "./workspace-mcp-rule";

const allowlist = (commands: string[], urlPrefixes: string[] = []): WorkspaceMcpRule => ({
  mode: "allowlist",
  commands,
  urlPrefixes,
});
const stdio = (command: string, args: string[] = [], sets_path = false): WorkspaceServerLaunch => ({
  transport: "stdio",
  command,
  args,
  sets_path,
});
const http = (url: string, transport: "http" | "sse" = "http"): WorkspaceServerLaunch => ({
  transport,
  url,
});

const EVERYTHING = "npx -y @modelcontextprotocol/server-everything";

describe("matchWorkspaceServer", () => {
  const cases: Array<[string, WorkspaceMcpRule, WorkspaceServerLaunch | undefined, string]> = [
    [
      "off refuses everything",
      { mode: "off", commands: [], urlPrefixes: [] },
      stdio("npx"),
      "workspace_mcp_off",
    ],
    [
      "on admits everything",
      { mode: "on", commands: [], urlPrefixes: [] },
      stdio("anything"),
      "allowed",
    ],
    [
      "on admits an unreported launch",
      { mode: "on", commands: [], urlPrefixes: [] },
      undefined,
      "allowed",
    ],
    [
      "allowlist refuses an unreported launch",
      allowlist([EVERYTHING]),
      undefined,
      "workspace_mcp_not_allowed",
    ],
    [
      "command and args prefix",
      allowlist([EVERYTHING]),
      stdio("npx", ["-y", "@modelcontextprotocol/server-everything", "stdio"]),
      "allowed",
    ],
    [
      "exact command line",
      allowlist([EVERYTHING]),
      stdio("npx", ["-y", "@modelcontextprotocol/server-everything"]),
      "allowed",
    ],
    [
      "extra spaces in the entry",
      allowlist(["  npx   -y  @modelcontextprotocol/server-everything "]),
      stdio("npx", ["-y", "@modelcontextprotocol/server-everything"]),
      "allowed",
    ],
    [
      "another package",
      allowlist([EVERYTHING]),
      stdio("npx", ["-y", "@modelcontextprotocol/server-filesystem"]),
      "workspace_mcp_not_allowed",
    ],
    ["too few args", allowlist([EVERYTHING]), stdio("npx", ["-y"]), "workspace_mcp_not_allowed"],
    [
      "args in another order",
      allowlist([EVERYTHING]),
      stdio("npx", ["@modelcontextprotocol/server-everything", "-y"]),
      "workspace_mcp_not_allowed",
    ],
    [
      "a word is a prefix of the arg (no globbing)",
      allowlist(["npx -y @modelcontextprotocol/server"]),
      stdio("npx", ["-y", "@modelcontextprotocol/server-everything"]),
      "workspace_mcp_not_allowed",
    ],
    [
      "another command",
      allowlist([EVERYTHING]),
      stdio("node", ["server.js"]),
      "workspace_mcp_not_allowed",
    ],
    [
      "a path ending in the command",
      allowlist(["npx"]),
      stdio("./npx"),
      "workspace_mcp_not_allowed",
    ],
    [
      "a bare command with PATH set by the server's env",
      allowlist(["npx"]),
      stdio("npx", [], true),
      "workspace_mcp_not_allowed",
    ],
    [
      "an absolute command with PATH set",
      allowlist(["/usr/bin/node /opt/srv.js"]),
      stdio("/usr/bin/node", ["/opt/srv.js"], true),
      "allowed",
    ],
    [
      "a bare command alone admits any args",
      allowlist(["uvx"]),
      stdio("uvx", ["mcp-server-time"]),
      "allowed",
    ],
    [
      "a command entry never admits a URL",
      allowlist(["npx"]),
      http("https://npx/"),
      "workspace_mcp_not_allowed",
    ],
    [
      "URL prefix, same path",
      allowlist([], ["https://mcp.example.com/mcp"]),
      http("https://mcp.example.com/mcp"),
      "allowed",
    ],
    [
      "URL prefix, below it",
      allowlist([], ["https://mcp.example.com/mcp"]),
      http("https://mcp.example.com/mcp/v2?x=1", "sse"),
      "allowed",
    ],
    [
      "URL prefix, not at a / boundary",
      allowlist([], ["https://mcp.example.com/mcp"]),
      http("https://mcp.example.com/mcpx"),
      "workspace_mcp_not_allowed",
    ],
    [
      "URL prefix, root admits the origin",
      allowlist([], ["https://mcp.example.com"]),
      http("https://mcp.example.com/any/path"),
      "allowed",
    ],
    [
      "URL prefix, another scheme",
      allowlist([], ["https://mcp.example.com"]),
      http("http://mcp.example.com/"),
      "workspace_mcp_not_allowed",
    ],
    [
      "URL prefix, another port",
      allowlist([], ["https://mcp.example.com"]),
      http("https://mcp.example.com:8443/"),
      "workspace_mcp_not_allowed",
    ],
    [
      "URL prefix, default port normalised",
      allowlist([], ["https://mcp.example.com:443/"]),
      http("https://MCP.example.com/x"),
      "allowed",
    ],
    [
      "URL prefix, a look-alike host",
      allowlist([], ["https://mcp.example.com"]),
      http("https://mcp.example.com.evil.test/"),
      "workspace_mcp_not_allowed",
    ],
    [
      "URL prefix, user info in the server URL",
      allowlist([], ["https://mcp.example.com"]),
      http("https://a@mcp.example.com/"),
      "workspace_mcp_not_allowed",
    ],
    [
      "URL prefix, dot segments",
      allowlist([], ["https://mcp.example.com/mcp"]),
      http("https://mcp.example.com/mcp/../admin"),
      "workspace_mcp_not_allowed",
    ],
    [
      "URL prefix never admits a command",
      allowlist([], ["https://mcp.example.com"]),
      stdio("npx"),
      "workspace_mcp_not_allowed",
    ],
    [
      "an unusable entry admits nothing",
      allowlist([], ["https://mcp.example.com/?q"]),
      http("https://mcp.example.com/?q"),
      "workspace_mcp_not_allowed",
    ],
  ];
  it.each(cases)("%s", (_name, rule, launch, expected) => {
    expect(matchWorkspaceServer(rule, launch)).toBe(expected);
  });
});

describe("urlPrefixProblem", () => {
  it.each([
    ["https://mcp.example.com/mcp", undefined],
    ["http://10.0.0.1:8080", undefined],
    ["ftp://mcp.example.com", "must be an http(s) URL"],
    ["mcp.example.com", "must be an absolute http(s) URL"],
    ["https://u:p@mcp.example.com", "must not contain a user name or password"],
    ["https://mcp.example.com/?a=1", "must not contain a query or fragment"],
    ["https://mcp.example.com/#x", "must not contain a query or fragment"],
  ])("%s", (entry, problem) => {
    expect(urlPrefixProblem(entry)).toBe(problem);
  });
});

describe("the policy's workspace-server step", () => {
  const turn = (over: Partial<TurnPolicy> = {}): TurnPolicy => ({
    planMode: false,
    agent: "root",
    selectedServerIds: new Set(),
    ...over,
  });
  const rule = allowlist([EVERYTHING]);
  const ok = stdio("npx", ["-y", "@modelcontextprotocol/server-everything"]);
  const other = stdio("node", ["x.js"]);

  it.each([
    ["plan mode comes first", turn({ planMode: true }), rule, ok, "plan_mode_no_workspace_mcp"],
    ["explore agents come next", turn({ agent: "explore" }), rule, ok, "explore_no_workspace_mcp"],
    ["then off", turn(), { mode: "off", commands: [], urlPrefixes: [] }, ok, "workspace_mcp_off"],
    ["then the allowlist", turn(), rule, other, "workspace_mcp_not_allowed"],
    ["an allowlisted server", turn(), rule, ok, "allowed"],
  ] as const)("%s", (_name, t, r, launch, reason) => {
    expect(decide({ source: "workspace_mcp", name: "x__y", rule: r, launch }, t).reason).toBe(
      reason,
    );
  });

  it("lets the gate (no server yet) refuse only when off", () => {
    expect(decideWorkspaceMcp(turn(), rule).available).toBe(true);
    expect(decideWorkspaceMcp(turn(), { mode: "off", commands: [], urlPrefixes: [] }).reason).toBe(
      "workspace_mcp_off",
    );
    expect(decideWorkspaceMcp(turn()).available).toBe(true);
  });
});
