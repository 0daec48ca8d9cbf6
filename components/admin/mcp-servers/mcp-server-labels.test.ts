import { describe, expect, it } from "vitest";
import { describeTestError, policyReasonLabel } from "./mcp-server-labels";

describe("describeTestError", () => {
  it("names each failure the test endpoint reports", () => {
    expect(describeTestError("mcp.unreachable").title).toBe("Cannot reach the server");
    expect(describeTestError("mcp.auth_required").title).toBe("The server needs authentication");
    expect(describeTestError("mcp.not_mcp_server").title).toBe("Not an MCP server");
    expect(describeTestError("mcp.timeout").title).toBe("Timed out");
  });

  it("points at EGRESS_ALLOWLIST for every egress refusal", () => {
    for (const code of ["egress.destination_not_allowed", "egress.redirect_not_allowed"]) {
      const { title, hint } = describeTestError(code);
      expect(title).toBe("Blocked by the egress guard");
      expect(hint).toContain("EGRESS_ALLOWLIST");
    }
  });

  it("falls back to a generic title for codes it does not know", () => {
    expect(describeTestError("mcp.something_new").title).toBe("Connection failed");
  });
});

describe("policyReasonLabel", () => {
  it("words known reasons and keeps unknown ones readable", () => {
    expect(policyReasonLabel("denied_by_deny_list")).toBe("Listed in the server's tool deny list");
    expect(policyReasonLabel("some_new_reason")).toBe("some new reason");
  });
});
