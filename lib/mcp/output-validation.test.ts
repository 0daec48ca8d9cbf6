import { describe, expect, it, vi } from "vitest";
import {
  checkToolOutput,
  compiledOutputSchema,
  invalidOutputMessage,
  MAX_OUTPUT_SCHEMA_BYTES,
  MAX_OUTPUT_SCHEMA_DEPTH,
} from "./output-validation";

const COUNT = {
  type: "object",
  properties: { count: { type: "integer" } },
  required: ["count"],
} as const;

const schema = (value: object) => structuredClone(value) as Record<string, unknown>;

describe("checkToolOutput", () => {
  it("passes conforming results and tools without a schema", () => {
    expect(checkToolOutput(schema(COUNT), { structuredContent: { count: 3 } })).toEqual({
      ok: true,
      validated: true,
    });
    expect(checkToolOutput(undefined, { structuredContent: { count: "x" } })).toEqual({
      ok: true,
      validated: false,
    });
  });

  it("rejects a result that breaks the schema, naming the problem", () => {
    const check = checkToolOutput(schema(COUNT), { structuredContent: { count: "many" } });
    expect(check).toEqual({ ok: false, problems: ["/count must be integer"] });
    expect(invalidOutputMessage("srv__count", ["/count must be integer"])).toContain(
      "The tool srv__count returned a result that does not match its declared output schema",
    );
  });

  it("rejects a success without structured content, but never checks an error result", () => {
    expect(checkToolOutput(schema(COUNT), {})).toMatchObject({ ok: false });
    expect(checkToolOutput(schema(COUNT), { isError: true })).toEqual({
      ok: true,
      validated: false,
    });
  });

  it("accepts draft-07 schemas by their keywords", () => {
    const draft7 = { $schema: "http://json-schema.org/draft-07/schema#", ...COUNT };
    expect(checkToolOutput(schema(draft7), { structuredContent: { count: 1.5 } })).toMatchObject({
      ok: false,
    });
  });

  it("compiles a listed schema once and says once why one is not enforced", () => {
    const listed = schema({ properties: { a: { $ref: "https://example.com/a.json" } } });
    const refused = vi.fn();
    expect(compiledOutputSchema(listed, refused).ok).toBe(false);
    expect(compiledOutputSchema(listed, refused).ok).toBe(false);
    expect(refused).toHaveBeenCalledTimes(1);
    expect(refused.mock.calls[0]![0]).toMatch(/nothing is fetched/);
    const good = schema(COUNT);
    expect(compiledOutputSchema(good)).toBe(compiledOutputSchema(good));
  });
});

describe("hostile output schemas degrade one tool, never throw", () => {
  const unenforced = (s: Record<string, unknown>) => {
    const refused = vi.fn();
    expect(checkToolOutput(s, { structuredContent: { anything: 1 } }, refused)).toEqual({
      ok: true,
      validated: false,
    });
    return refused.mock.calls[0]![0] as string;
  };

  it("a huge schema", () => {
    const properties: Record<string, unknown> = {};
    for (let i = 0; properties && i < MAX_OUTPUT_SCHEMA_BYTES / 20; i += 1)
      properties[`p${i}`] = { type: "string" };
    expect(unenforced({ type: "object", properties })).toMatch(/larger than/);
  });

  it("a schema nested a hundred thousand levels deep", () => {
    let deep: Record<string, unknown> = { type: "object" };
    for (let i = 0; i < 100_000; i += 1) deep = { type: "object", properties: { x: deep } };
    expect(unenforced(deep)).toMatch(/larger than|nested deeper/);
    let shallow: Record<string, unknown> = { type: "object" };
    for (let i = 0; i < MAX_OUTPUT_SCHEMA_DEPTH; i += 1) shallow = { properties: { x: shallow } };
    expect(unenforced(shallow)).toMatch(/nested deeper/);
  });

  it("a pattern that backtracks catastrophically", () => {
    expect(unenforced({ properties: { a: { type: "string", pattern: "^(a+)+$" } } })).toMatch(
      /backtrack/,
    );
  });

  it("a keyword Ajv refuses", () => {
    expect(unenforced({ type: "object", required: "not-a-list" })).toMatch(/does not compile/);
  });

  it("a recursive schema over data nested past the stack rejects that one result", () => {
    const tree = schema({
      $defs: { node: { type: "object", properties: { child: { $ref: "#/$defs/node" } } } },
      $ref: "#/$defs/node",
    });
    expect(checkToolOutput(tree, { structuredContent: { child: { child: {} } } })).toEqual({
      ok: true,
      validated: true,
    });
    let data: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i += 1) data = { child: data };
    const check = checkToolOutput(tree, { structuredContent: data });
    expect(check).toEqual({
      ok: false,
      problems: ["its structured content could not be checked (it is nested too deeply)"],
    });
  });
});
