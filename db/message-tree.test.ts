import { describe, expect, it } from "vitest";
import { activePath, newestLeafFrom, siblingIds } from "./message-tree";

// q1 → a1 → q2 → a2
//           q2 → a2b (regenerated)
// q1b (edited) → a1b
const rows = [
  { id: "q1", parentId: null },
  { id: "a1", parentId: "q1" },
  { id: "q2", parentId: "a1" },
  { id: "a2", parentId: "q2" },
  { id: "a2b", parentId: "q2" },
  { id: "q1b", parentId: null },
  { id: "a1b", parentId: "q1b" },
];
const ids = (r: { id: string }[]) => r.map((x) => x.id);

describe("message tree", () => {
  it.each([
    ["a2", ["q1", "a1", "q2", "a2"]],
    ["a2b", ["q1", "a1", "q2", "a2b"]],
    ["a1b", ["q1b", "a1b"]],
    // An unknown or missing leaf falls back to the newest message.
    ["gone", ["q1b", "a1b"]],
    [null, ["q1b", "a1b"]],
  ])("the path to %s", (leaf, path) => {
    expect(ids(activePath(rows, leaf))).toEqual(path);
  });

  it("survives a cycle and an empty chat", () => {
    const cyclic = [
      { id: "x", parentId: "y" },
      { id: "y", parentId: "x" },
    ];
    expect(ids(activePath(cyclic, "x"))).toEqual(["y", "x"]);
    expect(activePath([], null)).toEqual([]);
  });

  it("lists alternatives oldest first", () => {
    const s = siblingIds(rows);
    expect(s.get("a2b")).toEqual(["a2", "a2b"]);
    expect(s.get("q1")).toEqual(["q1", "q1b"]);
    expect(s.get("a1")).toEqual(["a1"]);
  });

  it("follows the newest reply down from a branch", () => {
    expect(newestLeafFrom(rows, "q1")).toBe("a2b");
    expect(newestLeafFrom(rows, "a2")).toBe("a2");
    expect(newestLeafFrom(rows, "q1b")).toBe("a1b");
  });
});
