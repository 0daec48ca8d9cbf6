import { describe, expect, it } from "vitest";
import type { McpServerConfig } from "@/lib/client/types";
import {
  activeServerCount,
  authBadge,
  initialSelection,
  isServerOn,
  pickableServers,
  planModeServers,
  planServersSentence,
  sameSelection,
  toggleServer,
} from "./mcp-selection";

const server = (id: string, extra: Partial<McpServerConfig> = {}) =>
  ({
    id,
    display_name: id.toUpperCase(),
    slug: id,
    enabled: true,
    availability: "default_off",
    auth_type: "none",
    auth_connected: true,
    ...extra,
  }) as McpServerConfig;

const forced = server("forced", { availability: "force_on" });
const on = server("on", { availability: "default_on" });
const off = server("off");
const disabled = server("disabled", { enabled: false, availability: "default_on" });
const all = [off, disabled, on, forced];

describe("pickableServers", () => {
  it("lists enabled servers, always-on first", () => {
    expect(pickableServers(all).map((s) => s.id)).toEqual(["forced", "on", "off"]);
  });
});

describe("initialSelection", () => {
  it("preselects default_on servers for a new chat, never force_on or disabled ones", () => {
    expect(initialSelection(all)).toEqual(["on"]);
  });

  it("keeps an existing chat's servers that are still pickable", () => {
    expect(initialSelection(all, ["off", "disabled", "forced", "gone"])).toEqual(["off"]);
    expect(initialSelection(all, [])).toEqual([]);
  });
});

describe("toggling", () => {
  it("adds and removes opt-in servers and never touches force_on", () => {
    expect(toggleServer(["on"], off, true)).toEqual(["on", "off"]);
    expect(toggleServer(["on", "off"], on, false)).toEqual(["off"]);
    expect(toggleServer(["on"], forced, false)).toEqual(["on"]);
    expect(isServerOn(forced, [])).toBe(true);
    expect(isServerOn(off, [])).toBe(false);
  });

  it("compares selections as sets and counts always-on servers", () => {
    expect(sameSelection(["a", "b"], ["b", "a"])).toBe(true);
    expect(sameSelection(["a"], ["a", "b"])).toBe(false);
    expect(activeServerCount(all, ["off"])).toBe(2);
  });
});

describe("authBadge", () => {
  it("asks for a connection only when the account is not connected", () => {
    expect(authBadge(on)).toBeNull();
    expect(authBadge(server("o", { auth_type: "oauth2", auth_connected: false }))).toBe(
      "Needs connection",
    );
    expect(authBadge(server("u", { auth_type: "user_oidc", auth_connected: false }))).toBe(
      "Sign in with OIDC",
    );
  });
});

describe("plan mode servers", () => {
  const planner = server("planner", { allow_in_plan_mode: true });
  const forcedPlanner = server("fp", { availability: "force_on", allow_in_plan_mode: true });
  const list = [off, on, planner, forcedPlanner, disabled];

  it("splits the servers that are on by allow_in_plan_mode", () => {
    const { used, paused } = planModeServers(list, ["on", "planner"]);
    expect(used.map((s) => s.id)).toEqual(["fp", "planner"]);
    expect(paused.map((s) => s.id)).toEqual(["on"]);
  });

  it.each([
    [["planner"], "The plan turn uses FP, PLANNER."],
    [
      ["on", "off"],
      "The plan turn uses FP. Paused while planning (not approved by an admin): ON, OFF.",
    ],
  ])("says which servers a plan turn uses (%j)", (selection, sentence) => {
    expect(planServersSentence(list, selection)).toBe(sentence);
  });

  it("says when no server is used", () => {
    expect(planServersSentence([on], ["on"])).toBe(
      "The plan turn uses no MCP server. Paused while planning (not approved by an admin): ON.",
    );
    expect(planServersSentence([], [])).toBe("The plan turn uses no MCP server.");
  });
});
