import { describe, expect, it } from "vitest";
import {
  decide,
  decideServer,
  PLAN_MODE_ROOT_BUILTINS,
  governanceOf,
  REASON_TEXT,
  type ServerPolicy,
  type ToolGovernance,
  type ToolCandidate,
  type TurnPolicy,
} from "./tool-policy";

const server = (over: Partial<ServerPolicy> = {}): ServerPolicy => ({
  id: "s1",
  enabled: true,
  availability: "default_off",
  toolAllowList: [],
  toolDenyList: [],
  allowInPlanMode: false,
  planModeTools: null,
  toolDefault: "enabled",
  tools: new Map(),
  ...over,
});

const turn = (over: Partial<TurnPolicy> = {}): TurnPolicy => ({
  planMode: false,
  agent: "root",
  selectedServerIds: new Set(["s1"]),
  ...over,
});

const mcp = (name: string, s: ServerPolicy = server()) => ({
  source: "mcp" as const,
  name,
  server: s,
});

describe("MCP tools", () => {
  it("follows the contract's precedence", () => {
    expect(decide(mcp("t"), turn())).toEqual({ available: true, reason: "allowed" });
    expect(
      decide(mcp("t", server({ enabled: false, availability: "force_on" })), turn()).reason,
    ).toBe("server_disabled");
    expect(decide(mcp("t"), turn({ selectedServerIds: new Set() })).reason).toBe(
      "server_not_selected",
    );
    expect(
      decide(mcp("t", server({ availability: "force_on" })), turn({ selectedServerIds: new Set() }))
        .available,
    ).toBe(true);
    // default_on only preselects in the picker; the turn still needs the selection.
    expect(
      decide(
        mcp("t", server({ availability: "default_on" })),
        turn({ selectedServerIds: new Set() }),
      ).available,
    ).toBe(false);
  });

  it("lets the deny list win over the allow list", () => {
    const s = server({ toolAllowList: ["a", "b"], toolDenyList: ["b"] });
    expect(decide(mcp("a", s), turn()).available).toBe(true);
    expect(decide(mcp("b", s), turn()).reason).toBe("denied_by_deny_list");
    expect(decide(mcp("c", s), turn()).reason).toBe("not_in_allow_list");
    expect(decide(mcp("B", s), turn()).reason).toBe("not_in_allow_list");
  });

  it("admits plan mode only for approved servers, narrowed by plan_mode_tools", () => {
    const plan = turn({ planMode: true });
    expect(decide(mcp("t"), plan).reason).toBe("plan_mode_server_not_approved");
    expect(decide(mcp("t", server({ allowInPlanMode: true })), plan).available).toBe(true);
    const narrowed = server({ allowInPlanMode: true, planModeTools: ["search"] });
    expect(decide(mcp("search", narrowed), plan).available).toBe(true);
    expect(decide(mcp("write", narrowed), plan).reason).toBe("plan_mode_tool_not_approved");
    expect(decide(mcp("write", narrowed), turn()).available).toBe(true);
    // Plan mode is an additional requirement: the lists still apply.
    const denied = server({ allowInPlanMode: true, toolDenyList: ["search"] });
    expect(decide(mcp("search", denied), plan).reason).toBe("denied_by_deny_list");
    // An empty plan_mode_tools list admits nothing.
    expect(
      decide(mcp("search", server({ allowInPlanMode: true, planModeTools: [] })), plan).available,
    ).toBe(false);
  });

  it("keeps plan-mode sub-agents away from MCP; explore agents get the parent's filtered set", () => {
    const approved = server({ allowInPlanMode: true });
    const planSub = turn({ planMode: true, agent: "subagent" });
    expect(decide(mcp("t", approved), planSub).reason).toBe("subagent_no_mcp");
    expect(decide(mcp("t", approved), turn({ agent: "subagent" })).available).toBe(true);
    expect(decide(mcp("t", approved), turn({ agent: "explore" })).available).toBe(true);
    const planExplore = turn({ planMode: true, agent: "explore" });
    expect(decide(mcp("t", approved), planExplore).available).toBe(true);
    expect(decide(mcp("t"), planExplore).reason).toBe("plan_mode_server_not_approved");
    const denied = server({ toolDenyList: ["t"] });
    expect(decide(mcp("t", denied), turn({ agent: "explore" })).reason).toBe("denied_by_deny_list");
  });
});

describe("workspace MCP", () => {
  const ws = { source: "workspace_mcp" as const, name: "repo__grep" };
  it("is never available in plan mode or to explore agents", () => {
    expect(decide(ws, turn()).available).toBe(true);
    expect(decide(ws, turn({ planMode: true })).reason).toBe("plan_mode_no_workspace_mcp");
    expect(decide(ws, turn({ agent: "explore" })).reason).toBe("explore_no_workspace_mcp");
  });
});

describe("built-ins", () => {
  const b = (name: string) => ({ source: "builtin" as const, name });
  it("restricts a root plan-mode turn to the plan allowlist", () => {
    const plan = turn({ planMode: true });
    for (const name of PLAN_MODE_ROOT_BUILTINS)
      expect(decide(b(name), plan).available, name).toBe(true);
    for (const name of ["process_list", "process_signal", "message_agent", "close_agent"]) {
      expect(decide(b(name), plan).reason, name).toBe("builtin_not_in_plan_mode");
    }
  });

  it("gives plan-mode sub-agents read-only tools", () => {
    const sub = turn({ planMode: true, agent: "subagent" });
    expect(
      ["read_file", "execute", "process_output"].every((n) => decide(b(n), sub).available),
    ).toBe(true);
    expect(decide(b("write_file"), sub).available).toBe(false);
    expect(decide(b("spawn_agent"), sub).available).toBe(false);
  });

  it("keeps propose_plan for plan mode and agent management for the root", () => {
    expect(decide(b("propose_plan"), turn()).reason).toBe("builtin_plan_mode_only");
    expect(decide(b("write_file"), turn()).available).toBe(true);
    expect(decide(b("spawn_agent"), turn({ agent: "subagent" })).reason).toBe(
      "builtin_not_for_subagents",
    );
  });

  it("has a sentence for every reason", () => {
    for (const text of Object.values(REASON_TEXT)) expect(text.length).toBeGreaterThan(5);
  });
});

// The seeds' plan-mode boundary as one table: every built-in, an approved and an unapproved
// external server, and workspace MCP, for each agent kind in and out of plan mode.
describe("the plan-mode table", () => {
  type Row = Record<`${"root" | "subagent" | "explore"}/${"plan" | "normal"}`, boolean>;
  const all = (v: boolean): Row => ({
    "root/plan": v,
    "root/normal": v,
    "subagent/plan": v,
    "subagent/normal": v,
    "explore/plan": v,
    "explore/normal": v,
  });
  const readOnly: Row = all(true);
  // Root-plan allowlist tools that write or manage: no sub-agent, no explore agent.
  const rootOnlyPlan: Row = { ...all(false), "root/plan": true, "root/normal": true };
  const rootNormalOnly: Row = { ...all(false), "root/normal": true };
  const rootNotPlan: Row = { ...all(false), "root/normal": true, "subagent/normal": true };
  const BUILTINS: Record<string, Row> = {
    read_file: readOnly,
    execute: readOnly,
    process_output: readOnly,
    write_file: { ...rootNotPlan, "root/plan": true },
    edit_files: { ...rootNotPlan, "root/plan": true },
    process_list: rootNotPlan,
    process_signal: rootNotPlan,
    list_templates: { ...rootNotPlan, "root/plan": true },
    read_template: { ...rootNotPlan, "root/plan": true },
    create_workspace: { ...rootNotPlan, "root/plan": true },
    start_workspace: { ...rootNotPlan, "root/plan": true },
    stop_workspace: { ...rootNotPlan, "root/plan": true },
    spawn_agent: rootOnlyPlan,
    spawn_explore_agent: rootOnlyPlan,
    wait_agent: rootOnlyPlan,
    list_agents: rootOnlyPlan,
    message_agent: rootNormalOnly,
    close_agent: rootNormalOnly,
    propose_plan: { ...all(false), "root/plan": true },
    ask_user_question: rootOnlyPlan,
  };
  const approved = server({ id: "ok", allowInPlanMode: true });
  const unapproved = server({ id: "no" });
  const OTHERS: Record<string, [ToolCandidate, Row]> = {
    "approved external MCP": [mcp("search", approved), { ...all(true), "subagent/plan": false }],
    "unapproved external MCP": [
      mcp("search", unapproved),
      { ...all(true), "root/plan": false, "subagent/plan": false, "explore/plan": false },
    ],
    "workspace MCP": [
      { source: "workspace_mcp", name: "repo__grep" },
      { ...all(false), "root/normal": true, "subagent/normal": true },
    ],
  };
  const rows: [string, ToolCandidate, Row][] = [
    ...Object.entries(BUILTINS).map(([name, row]): [string, ToolCandidate, Row] => [
      name,
      { source: "builtin", name },
      row,
    ]),
    ...Object.entries(OTHERS).map(([label, [c, row]]): [string, ToolCandidate, Row] => [
      label,
      c,
      row,
    ]),
  ];

  it.each(rows)("%s", (_label, candidate, row) => {
    for (const [key, expected] of Object.entries(row)) {
      const [agent, mode] = key.split("/") as [TurnPolicy["agent"], "plan" | "normal"];
      const t = turn({
        agent,
        planMode: mode === "plan",
        selectedServerIds: new Set(["ok", "no"]),
      });
      const decision = decide(candidate, t);
      expect(decision.available, `${key}: ${decision.reason}`).toBe(expected);
      if (!expected) expect(decision.reason).not.toBe("allowed");
    }
  });

  it("covers every built-in of the plan allowlist", () => {
    for (const name of PLAN_MODE_ROOT_BUILTINS) expect(BUILTINS[name]?.["root/plan"]).toBe(true);
  });
});

describe("decideServer (asked before a server is dialled)", () => {
  type Case = [string, Partial<ServerPolicy>, Partial<TurnPolicy>, string];
  const cases: Case[] = [
    ["a selected server in a normal turn", {}, {}, "allowed"],
    ["a disabled server", { enabled: false, availability: "force_on" }, {}, "server_disabled"],
    ["an unselected server", {}, { selectedServerIds: new Set() }, "server_not_selected"],
    [
      "an unselected force_on server",
      { availability: "force_on" },
      { selectedServerIds: new Set() },
      "allowed",
    ],
    ["an unapproved server in plan mode", {}, { planMode: true }, "plan_mode_server_not_approved"],
    ["an approved server in plan mode", { allowInPlanMode: true }, { planMode: true }, "allowed"],
    [
      "a force_on unapproved server in plan mode",
      { availability: "force_on" },
      { planMode: true },
      "plan_mode_server_not_approved",
    ],
    [
      "any server for a plan-mode sub-agent",
      { allowInPlanMode: true },
      { planMode: true, agent: "subagent" },
      "subagent_no_mcp",
    ],
    ["a server for a normal sub-agent", {}, { agent: "subagent" }, "allowed"],
    [
      "an unapproved server for a plan-mode explore agent",
      {},
      { planMode: true, agent: "explore" },
      "plan_mode_server_not_approved",
    ],
    [
      "an approved server for a plan-mode explore agent",
      { allowInPlanMode: true },
      { planMode: true, agent: "explore" },
      "allowed",
    ],
  ];

  it.each(cases)("%s", (_label, s, t, reason) => {
    expect(decideServer(server(s), turn(t)).reason).toBe(reason);
  });

  // The promise that makes skipping the dial safe: a server decideServer refuses offers no tool,
  // with the same reason a per-tool decision gives once the lists have passed.
  it.each(cases)("agrees with decide for every tool: %s", (_label, s, t, reason) => {
    for (const lists of [{}, { planModeTools: ["t"] }, { planModeTools: [] }]) {
      const decision = decide(mcp("t", server({ ...s, ...lists })), turn(t));
      if (reason !== "allowed") expect(decision).toEqual({ available: false, reason });
    }
  });
});

describe("the tool catalogue in the precedence", () => {
  const entry = (over: Partial<ToolGovernance> = {}): ToolGovernance => ({
    status: "active",
    rule: "enabled",
    planMode: false,
    ...over,
  });
  const catalogued = (tool: ToolGovernance, over: Partial<ServerPolicy> = {}) =>
    server({ tools: new Map([["t", tool]]), ...over });
  const PLAN = { planMode: true };
  const approved = { allowInPlanMode: true };
  type Case = [string, ServerPolicy, Partial<TurnPolicy>, string, boolean?];
  const cases: Case[] = [
    ["an active enabled tool", catalogued(entry()), {}, "allowed"],
    [
      "a changed tool is held",
      catalogued(entry({ status: "changed" })),
      {},
      "tool_definition_changed",
    ],
    ["a removed tool", catalogued(entry({ status: "removed" })), {}, "tool_removed"],
    ["a disabled tool", catalogued(entry({ rule: "disabled" })), {}, "tool_disabled"],
    [
      "an approval tool is offered, asking",
      catalogued(entry({ rule: "approval" })),
      {},
      "allowed",
      true,
    ],
    // Deny and allow lists come before the catalogue.
    [
      "deny list before a changed status",
      catalogued(entry({ status: "changed" }), { toolDenyList: ["t"] }),
      {},
      "denied_by_deny_list",
    ],
    [
      "allow list before a disabled rule",
      catalogued(entry({ rule: "disabled" }), { toolAllowList: ["x"] }),
      {},
      "not_in_allow_list",
    ],
    // The catalogue comes before plan mode.
    [
      "a changed tool in plan mode on an unapproved server",
      catalogued(entry({ status: "changed" })),
      PLAN,
      "tool_definition_changed",
    ],
    [
      "a disabled tool in plan mode",
      catalogued(entry({ rule: "disabled", planMode: true }), approved),
      PLAN,
      "tool_disabled",
    ],
    // Plan mode needs both the server's approval and the tool's flag.
    [
      "a plan-mode tool on an unapproved server",
      catalogued(entry({ planMode: true })),
      PLAN,
      "plan_mode_server_not_approved",
    ],
    [
      "a tool without plan mode on an approved server",
      catalogued(entry({ planMode: false }), approved),
      PLAN,
      "plan_mode_tool_not_approved",
    ],
    [
      "the tool's flag wins over plan_mode_tools",
      catalogued(entry({ planMode: false }), { ...approved, planModeTools: null }),
      PLAN,
      "plan_mode_tool_not_approved",
    ],
    [
      "a plan-mode tool on an approved server",
      catalogued(entry({ planMode: true }), approved),
      PLAN,
      "allowed",
    ],
    // Plan mode before approval: a tool not admitted for planning never asks.
    [
      "an approval tool not admitted for planning",
      catalogued(entry({ rule: "approval" }), approved),
      PLAN,
      "plan_mode_tool_not_approved",
    ],
    [
      "an approval tool admitted for planning still asks",
      catalogued(entry({ rule: "approval", planMode: true }), approved),
      PLAN,
      "allowed",
      true,
    ],
    // Not in the catalogue yet: judged as first seen.
    [
      "an uncatalogued tool gets the server's default",
      server({ toolDefault: "disabled" }),
      {},
      "tool_disabled",
    ],
    [
      "an uncatalogued tool with default approval",
      server({ toolDefault: "approval" }),
      {},
      "allowed",
      true,
    ],
    [
      "an uncatalogued tool in plan mode follows plan_mode_tools",
      server({ ...approved, planModeTools: ["other"] }),
      PLAN,
      "plan_mode_tool_not_approved",
    ],
    ["an uncatalogued tool, plan_mode_tools null", server(approved), PLAN, "allowed"],
  ];

  it.each(cases)("%s", (_label, s, t, reason, asks) => {
    const decision = decide(mcp("t", s), turn(t));
    expect(decision.reason).toBe(reason);
    expect(decision.available).toBe(reason === "allowed");
    expect(decision.needsApproval ?? false).toBe(asks ?? false);
  });

  it("judges an uncatalogued tool as first sight would record it", () => {
    expect(governanceOf("t", server({ toolDefault: "approval", planModeTools: ["t"] }))).toEqual({
      status: "active",
      rule: "approval",
      planMode: true,
    });
    expect(governanceOf("t", server({ planModeTools: [] })).planMode).toBe(false);
  });
});

describe("a chat without a workspace", () => {
  const builtin = (name: string) => ({ source: "builtin" as const, name });
  const workspaceMcp = { source: "workspace_mcp" as const, name: "notes__read" };
  // [candidate, turn, expected reason]: no_workspace only where the agent could use it otherwise.
  const cases: [string, ToolCandidate, Partial<TurnPolicy>, string][] = [
    ["read_file, root", builtin("read_file"), { hasWorkspace: false }, "no_workspace"],
    ["execute, root", builtin("execute"), { hasWorkspace: false }, "no_workspace"],
    ["process_signal, root", builtin("process_signal"), { hasWorkspace: false }, "no_workspace"],
    ["start_workspace, root", builtin("start_workspace"), { hasWorkspace: false }, "no_workspace"],
    ["read_file with a workspace", builtin("read_file"), { hasWorkspace: true }, "allowed"],
    ["read_file, no chat (preview)", builtin("read_file"), {}, "allowed"],
    ["create_workspace", builtin("create_workspace"), { hasWorkspace: false }, "allowed"],
    ["list_templates", builtin("list_templates"), { hasWorkspace: false }, "allowed"],
    ["spawn_agent", builtin("spawn_agent"), { hasWorkspace: false }, "allowed"],
    [
      "propose_plan in plan mode",
      builtin("propose_plan"),
      { hasWorkspace: false, planMode: true },
      "allowed",
    ],
    [
      "read_file, explore agent",
      builtin("read_file"),
      { hasWorkspace: false, agent: "explore" },
      "no_workspace",
    ],
    [
      "write_file, explore agent: the agent rule comes first",
      builtin("write_file"),
      { hasWorkspace: false, agent: "explore" },
      "builtin_not_for_subagents",
    ],
    [
      "process_list in plan mode: the plan rule comes first",
      builtin("process_list"),
      { hasWorkspace: false, planMode: true },
      "builtin_not_in_plan_mode",
    ],
    ["workspace MCP", workspaceMcp, { hasWorkspace: false }, "no_workspace"],
    ["workspace MCP with a workspace", workspaceMcp, { hasWorkspace: true }, "allowed"],
    [
      "workspace MCP in plan mode: the plan rule comes first",
      workspaceMcp,
      { hasWorkspace: false, planMode: true },
      "plan_mode_no_workspace_mcp",
    ],
    ["an admin server's tool", mcp("echo"), { hasWorkspace: false }, "allowed"],
  ];

  it.each(cases)("%s", (_label, candidate, over, reason) => {
    const decision = decide(candidate, turn(over));
    expect(decision.reason).toBe(reason);
    expect(decision.available).toBe(reason === "allowed");
  });

  it("says why in words", () => {
    expect(REASON_TEXT.no_workspace).toMatch(/workspace/);
  });
});
