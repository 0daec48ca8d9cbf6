import { describe, expect, it } from "vitest";
import { isToolReason, TOOL_REASON_TEXT, toolReasonText } from "./reasons";
import { REASON_TEXT } from "./tool-policy";

describe("tool reasons", () => {
  it("words every policy reason the same way the policy does", () => {
    for (const [reason, text] of Object.entries(REASON_TEXT)) {
      expect(TOOL_REASON_TEXT[reason as keyof typeof REASON_TEXT]).toBe(text);
    }
  });

  it("has a sentence for every reason decided around the policy", () => {
    for (const reason of [
      "auth_required",
      "server_unavailable",
      "name_clash",
      "too_many_tools_on_server",
      "too_many_tools_in_turn",
      "config_changed",
      "not_offered",
      "approval_required",
      "tool_definition_changed",
      "tool_removed",
      "tool_disabled",
      "workspace_mcp_off",
      "workspace_mcp_not_allowed",
    ]) {
      expect(isToolReason(reason)).toBe(true);
      expect(toolReasonText(reason)).toMatch(/^[A-Z].{10,}/);
    }
  });

  it("keeps an unknown code readable", () => {
    expect(isToolReason("some_new_reason")).toBe(false);
    expect(toolReasonText("some_new_reason")).toBe("some new reason");
  });
});
