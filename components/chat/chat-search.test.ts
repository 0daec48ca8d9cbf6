import { describe, expect, it } from "vitest";
import { filterChats } from "./chat-search";

const chats = [
  { id: "1", title: "Café opening hours" },
  { id: "2", title: "Deploy the API to staging" },
  { id: "3", title: "" },
  { id: "4", title: "api keys rotation" },
];

describe("filterChats", () => {
  it.each([
    ["", ["1", "2", "3", "4"]],
    ["   ", ["1", "2", "3", "4"]],
    ["api", ["2", "4"]],
    ["API staging", ["2"]],
    ["staging api", ["2"]],
    ["cafe", ["1"]],
    ["CAFÉ", ["1"]],
    ["new chat", ["3"]],
    ["nothing like this", []],
  ])("%j → %j", (query, ids) => {
    expect(filterChats(chats, query).map((c) => c.id)).toEqual(ids);
  });
});
