import { describe, expect, it } from "vitest";
import { formFields, formValues, readForm, readJson, timeLeft } from "./approval-logic";

const schema = {
  type: "object",
  properties: { text: { type: "string" }, count: { type: "integer" }, loud: { type: "boolean" } },
  required: ["text"],
};

describe("approval card logic", () => {
  it("builds a form for flat schemas and the JSON editor for nested ones", () => {
    expect(formFields(schema)?.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["text", "string", true],
      ["count", "integer", false],
      ["loud", "boolean", false],
    ]);
    expect(formFields({ properties: { nested: { type: "object" } } })).toBeNull();
    expect(formFields({})).toBeNull();
  });

  it("reads the form back with types and reports what a person can fix", () => {
    const fields = formFields(schema)!;
    expect(formValues(fields, { text: "hi", count: 2 })).toEqual({
      text: "hi",
      count: "2",
      loud: "",
    });
    expect(readForm(fields, { text: "hi", count: "3", loud: "true" })).toEqual({
      ok: true,
      input: { text: "hi", count: 3, loud: true },
    });
    expect(readForm(fields, { text: "", count: "1.5", loud: "" })).toEqual({
      ok: false,
      problems: [
        { field: "text", detail: "is required" },
        { field: "count", detail: "must be a whole number" },
      ],
    });
  });

  it("checks JSON edits against required fields and top-level types", () => {
    expect(readJson(schema, '{"text":"x"}')).toEqual({ ok: true, input: { text: "x" } });
    expect(readJson(schema, "{").ok).toBe(false);
    expect(readJson(schema, "[]").ok).toBe(false);
    expect(readJson(schema, '{"count":1}')).toEqual({
      ok: false,
      problems: [{ field: "text", detail: "is required" }],
    });
    expect(readJson(schema, '{"text":1}').ok).toBe(false);
  });

  it("says how long is left", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(timeLeft("2026-01-01T00:10:00Z", now)).toBe("10 min left");
    expect(timeLeft("2026-01-01T00:00:30Z", now)).toBe("30 s left");
    expect(timeLeft("2025-12-31T00:00:00Z", now)).toBe("expired");
  });
});
