import { describe, expect, it } from "vitest";
import { readElicitationForm, initialValues, urlParts } from "@/components/chat/elicitation-logic";
import { checkContent, fieldsOf, withDefaults } from "./elicitation-schema";

const schema = {
  type: "object",
  properties: {
    name: { type: "string", title: "Name", minLength: 2, default: "John Doe" },
    email: { type: "string", format: "email" },
    age: { type: "integer", minimum: 0, maximum: 150, default: 30 },
    score: { type: "number", default: 95.5 },
    status: { type: "string", enum: ["active", "inactive"], default: "active" },
    plan: { type: "string", oneOf: [{ const: "a", title: "Plan A" }, { const: "b" }] },
    tags: { type: "array", items: { type: "string", enum: ["x", "y"] }, maxItems: 1 },
    verified: { type: "boolean", default: true },
    since: { type: "string", format: "date" },
  },
  required: ["email"],
};

describe("elicitation forms", () => {
  it("reads the restricted schema as fields and refuses anything else", () => {
    const fields = fieldsOf(schema)!;
    expect(fields.map((f) => `${f.name}:${f.kind}`)).toEqual([
      "name:string",
      "email:string",
      "age:integer",
      "score:number",
      "status:enum",
      "plan:enum",
      "tags:multi",
      "verified:boolean",
      "since:string",
    ]);
    expect(fields.find((f) => f.name === "plan")).toMatchObject({
      options: [
        { value: "a", label: "Plan A" },
        { value: "b", label: "b" },
      ],
    });
    expect(fieldsOf({ type: "object", properties: { o: { type: "object" } } })).toBeNull();
    expect(
      fieldsOf({ type: "object", properties: { s: { type: "string", format: "ipv4" } } }),
    ).toBeNull();
    expect(fieldsOf({ type: "array" })).toBeNull();
  });

  it("applies defaults to fields left out, then checks every rule", () => {
    const fields = fieldsOf(schema)!;
    expect(withDefaults(fields, { email: "a@b.co", age: 5 })).toEqual({
      email: "a@b.co",
      age: 5,
      name: "John Doe",
      score: 95.5,
      status: "active",
      verified: true,
    });
    expect(checkContent(schema, { email: "a@b.co" })).toMatchObject({ ok: true });
    const bad = checkContent(schema, {
      name: "J",
      age: 1.5,
      status: "gone",
      tags: ["x", "y"],
      since: "yesterday",
      extra: 1,
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.field).sort()).toEqual(
      ["age", "email", "extra", "name", "since", "status", "tags"].sort(),
    );
    expect(checkContent(schema, { email: "not-an-email" })).toMatchObject({
      ok: false,
      problems: [{ field: "email", detail: "must be an email address" }],
    });
  });

  it("turns the card's controls into content, leaving empty optional fields out", () => {
    const fields = fieldsOf(schema)!;
    const values = initialValues(fields);
    expect(values).toMatchObject({ name: "John Doe", age: "30", verified: true, tags: [] });
    expect(readElicitationForm(fields, values)).toMatchObject({
      ok: false,
      problems: [{ field: "email", detail: "is required" }],
    });
    const read = readElicitationForm(fields, { ...values, email: "a@b.co", age: "41", since: "" });
    expect(read).toEqual({
      ok: true,
      content: {
        name: "John Doe",
        email: "a@b.co",
        age: 41,
        score: 95.5,
        status: "active",
        tags: [],
        verified: true,
      },
    });
  });

  it("splits a URL around its host", () => {
    expect(urlParts("https://user@evil.example:8443/path?q=1")).toEqual({
      before: "https://user@",
      host: "evil.example:8443",
      after: "/path?q=1",
    });
    expect(urlParts("not a url")).toBeNull();
  });
});
