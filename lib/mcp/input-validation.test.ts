import { describe, expect, it } from "vitest";
import { checkToolArguments, invalidArgumentsMessage, mayBacktrackBadly } from "./input-validation";

const schema = {
  type: "object",
  properties: {
    count: { type: "integer", minimum: 1 },
    mode: { enum: ["a", "b"] },
    tags: { type: "array", prefixItems: [{ type: "string" }], items: false },
  },
  required: ["count"],
  additionalProperties: false,
};

describe("checkToolArguments", () => {
  it.each<[string, Record<string, unknown>, string[] | null]>([
    ["valid", { count: 2, mode: "a", tags: ["x"] }, null],
    ["missing required", {}, ["the arguments must have required property 'count'"]],
    ["wrong type", { count: "2" }, ["/count must be integer"]],
    ["below minimum", { count: 0 }, ["/count must be >= 1"]],
    ["not in enum", { count: 1, mode: "c" }, ['/mode must be one of ["a","b"]']],
    [
      "unknown property",
      { count: 1, extra: true },
      ['the arguments must not have property "extra"'],
    ],
    // 2020-12 semantics: prefixItems with items false forbids a second element.
    ["2020-12 tuple", { count: 1, tags: ["x", "y"] }, ["/tags must NOT have more than 1 items"]],
  ])("%s", (_label, args, problems) => {
    const checked = checkToolArguments(schema, args);
    if (problems === null) expect(checked).toEqual({ ok: true });
    else expect(checked).toEqual({ ok: false, problems });
  });

  it("does not enforce a schema it cannot compile, and never fetches a remote $ref", () => {
    const remote = {
      type: "object",
      properties: { a: { $ref: "https://schemas.example.com/a.json" } },
    };
    expect(checkToolArguments(remote, { a: 1 })).toEqual({ ok: true });
    expect(checkToolArguments({ type: "object", minimum: "x" }, {})).toEqual({ ok: true });
  });

  it("accepts draft-07 schemas by their shared keywords and ignores $id clashes", () => {
    const draft7 = {
      $schema: "http://json-schema.org/draft-07/schema#",
      $id: "urn:example:same",
      type: "object",
      properties: { q: { type: "string" } },
      required: ["q"],
    };
    expect(checkToolArguments(draft7, { q: "x" })).toEqual({ ok: true });
    expect(checkToolArguments({ ...draft7, required: [] }, {})).toEqual({ ok: true });
    expect(checkToolArguments(draft7, {})).toMatchObject({ ok: false });
  });

  it("words the error for the model", () => {
    expect(invalidArgumentsMessage("srv__t", ["/a must be integer"])).toContain(
      "nothing was sent to the server",
    );
  });
});

describe("patterns that could stall the process", () => {
  it.each<[string, boolean]>([
    ["^(a+)+$", true],
    ["(a|aa)*b", true],
    ["^(\\d{1,3}\\.)+\\d+$", true],
    ["([a-z]*)*", true],
    ["^[a-z0-9_-]+$", false],
    ["^\\d{4}-\\d{2}-\\d{2}$", false],
    ["^(foo|bar)$", false],
    ["[(+*)]+", false],
    ["\\(a+\\)+", false],
  ])("%s → %s", (pattern, risky) => {
    expect(mayBacktrackBadly(pattern)).toBe(risky);
  });

  it("leave such a schema to the server instead of running it on the model's input", () => {
    const evil = {
      type: "object",
      properties: { s: { type: "string", pattern: "^(a+)+$" } },
    };
    const started = Date.now();
    expect(checkToolArguments(evil, { s: `${"a".repeat(40)}!` })).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(1_000);
    const safe = { type: "object", properties: { s: { type: "string", pattern: "^a+$" } } };
    expect(checkToolArguments(safe, { s: "b" })).toEqual({
      ok: false,
      problems: ['/s must match pattern "^a+$"'],
    });
  });
});
