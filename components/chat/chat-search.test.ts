import { describe, expect, it } from "vitest";
import { highlightSegments } from "./chat-search";

const marked = (text: string, q: string) =>
  highlightSegments(text, q)
    .map((s) => (s.match ? `[${s.text}]` : s.text))
    .join("");

describe("highlightSegments", () => {
  it.each([
    ["Deploy the API to staging", "api", "Deploy the [API] to staging"],
    ["api and API and Api", "API", "[api] and [API] and [Api]"],
    ["grew 100% (a lot)", "100% (a", "grew [100% (a] lot)"],
    ["snake_case.*", ".*", "snake_case[.*]"],
    ["no match here", "absent", "no match here"],
    ["unchanged", "   ", "unchanged"],
    ["", "x", ""],
  ])("%j with %j", (text, q, expected) => {
    expect(marked(text, q)).toBe(expected);
  });
});
