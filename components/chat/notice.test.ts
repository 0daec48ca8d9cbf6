import { describe, expect, it } from "vitest";
import type { McpServerConfig } from "@/lib/client/types";
import { noticeText } from "./notice";

const servers = [{ id: "s1", display_name: "Docs" }] as McpServerConfig[];

describe("noticeText", () => {
  it("names the skipped server and says why", () => {
    expect(
      noticeText(
        { code: "mcp.server_unavailable", detail: "connection refused", server_id: "s1" },
        servers,
      ),
    ).toBe("Docs was skipped: connection refused");
    expect(
      noticeText(
        { code: "mcp.server_unavailable", detail: "Docs: connection refused", server_id: "s1" },
        servers,
      ),
    ).toBe("Docs was skipped: connection refused");
    expect(
      noticeText(
        { code: "egress.destination_not_allowed", detail: "", server_id: "gone" },
        servers,
      ),
    ).toBe("An MCP server was skipped.");
  });

  it("words refused calls and unknown codes", () => {
    expect(noticeText({ code: "tool.denied", detail: "not offered" }, servers)).toBe(
      "A tool call was blocked: not offered",
    );
    expect(noticeText({ code: "turn.something", detail: "Heads up" }, servers)).toBe("Heads up");
    expect(
      noticeText(
        { code: "mcp.too_many_tools", detail: "Docs: 5 tools were left out.", server_id: "s1" },
        servers,
      ),
    ).toBe("Docs: 5 tools were left out.");
    expect(noticeText({ code: "mcp.too_many_tools", detail: "At most 3 tools." }, servers)).toBe(
      "At most 3 tools.",
    );
  });
});
