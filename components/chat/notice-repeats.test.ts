import { describe, expect, it } from "vitest";
import type { ChatNotice, ChatUIMessage } from "./message-convert";
import { repeatedNotices, serverIssues } from "./notice-repeats";

const down: ChatNotice = {
  code: "mcp.server_unavailable",
  detail: "Docs: connection refused",
  server_id: "s1",
};
const denied: ChatNotice = { code: "tool.denied", detail: "docs__drop is not allowed" };

const user = (id: string): ChatUIMessage => ({
  id,
  role: "user",
  parts: [{ type: "text", text: "hi" }],
});
const answer = (id: string, notices: ChatNotice[]): ChatUIMessage => ({
  id,
  role: "assistant",
  parts: [
    ...notices.map((data) => ({ type: "data-notice" as const, data })),
    { type: "text" as const, text: "ok" },
  ],
});

describe("repeatedNotices", () => {
  it("keeps the first of identical notices and marks the later ones", () => {
    const messages = [
      user("u1"),
      answer("a1", [down]),
      user("u2"),
      answer("a2", [down, denied]),
      user("u3"),
      answer("a3", [{ ...down, detail: "Docs: timed out" }, denied]),
    ];
    expect([...repeatedNotices(messages)].sort()).toEqual(["a2:0", "a3:1"]);
  });
});

describe("serverIssues", () => {
  it("takes the server notices of the latest answer only", () => {
    expect([...serverIssues([user("u1"), answer("a1", [down, denied])]).entries()]).toEqual([
      ["s1", down],
    ]);
    // The server answered again in the latest turn: no chip.
    expect(serverIssues([answer("a1", [down]), user("u2"), answer("a2", [])]).size).toBe(0);
    expect(serverIssues([]).size).toBe(0);
  });
});
