import { describe, expect, it } from "vitest";
import { serverFailureText, serverNotice } from "./mcp-notices";

const server = { id: "s1", displayName: "Billing" };
const unreachable = {
  code: "mcp.unreachable",
  message:
    "The MCP server at 10.1.2.3:4640 could not be reached: the connection was refused (ECONNREFUSED).",
};

describe("server failure notices", () => {
  it.each<[string, { code: string; message: string; forUser?: boolean }, string, string]>([
    [
      "unreachable",
      unreachable,
      "Billing: the server could not be reached. An administrator can see the details.",
      `Billing: ${unreachable.message}`,
    ],
    [
      "egress refusal",
      { code: "egress.destination_not_allowed", message: "Egress to 10.0.0.1 refused: private" },
      "Billing: the server may not be reached from this installation. An administrator can see the details.",
      "Billing: Egress to 10.0.0.1 refused: private",
    ],
    [
      "a message written for the user",
      {
        code: "mcp.auth_required",
        message: "Connect your account to Billing to use it.",
        forUser: true,
      },
      "Billing: Connect your account to Billing to use it.",
      "Billing: Connect your account to Billing to use it.",
    ],
    [
      "an unknown code",
      { code: "mcp.something_new", message: "at 10.1.2.3" },
      "Billing: the server is unavailable right now. An administrator can see the details.",
      "Billing: at 10.1.2.3",
    ],
  ])("%s: members get the name only, admins the detail", (_label, failure, member, admin) => {
    expect(serverFailureText("member", "Billing", failure)).toBe(member);
    expect(serverFailureText("admin", "Billing", failure)).toBe(admin);
  });

  it("keeps the code a client acts on", () => {
    expect(serverNotice("member", server, unreachable)).toEqual({
      code: "mcp.server_unavailable",
      detail: "Billing: the server could not be reached. An administrator can see the details.",
      server_id: "s1",
    });
    expect(serverNotice("member", server, { code: "mcp.auth_required", message: "x" }).code).toBe(
      "mcp.auth_required",
    );
  });
});
