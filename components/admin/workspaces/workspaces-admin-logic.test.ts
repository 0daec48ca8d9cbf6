import { describe, expect, it } from "vitest";
import type { WorkspaceStatus } from "@/lib/client/workspace-types";
import { canStop, sandboxState, type SandboxState } from "./workspaces-admin-logic";

describe("sandboxState", () => {
  const cases: Array<[available: boolean, unsafe: boolean, expected: SandboxState]> = [
    [true, false, "confined"],
    [true, true, "confined_unsafe_set"],
    [false, false, "disabled"],
    [false, true, "unconfined"],
  ];
  it.each(cases)("available=%s unsafe=%s → %s", (available, unsafe, expected) => {
    expect(sandboxState({ available, unsafe, reason: "bwrap: not found" })).toBe(expected);
  });
});

describe("canStop", () => {
  const cases: Array<[WorkspaceStatus, boolean]> = [
    ["running", true],
    ["starting", true],
    ["error", true],
    ["stopped", false],
  ];
  it.each(cases)("%s → %s", (status, expected) => {
    expect(canStop(status)).toBe(expected);
  });
});
