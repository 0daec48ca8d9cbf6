import { describe, expect, it } from "vitest";
import { storable, storableText } from "./storable";

describe("storable", () => {
  it("replaces NUL and lone surrogates, keeps valid pairs", () => {
    expect(storableText("a\u0000b")).toBe("a\uFFFDb");
    expect(storableText("x\ud800y\udc00z")).toBe("x\uFFFDy\uFFFDz");
    expect(storableText("emoji 😀 ok")).toBe("emoji 😀 ok");
  });

  it("walks values and keys, and returns the same object when nothing changed", () => {
    const clean = { a: ["b", { c: 1 }], d: null };
    expect(storable(clean)).toBe(clean);
    expect(storable({ ["k\u0000"]: ["v\u0000", 2] })).toEqual({ "k\uFFFD": ["v\uFFFD", 2] });
  });
});
