import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { LONG_TOOL_NAME, WEIRD_TOOL_NAME } from "@/e2e/fixtures/mcp-test-server";
import {
  assignExposedNames,
  exposedToolName,
  MAX_EXPOSED_TOOL_NAME_LENGTH,
  type ExposedNameEntry,
} from "@/lib/mcp/tool-names";

const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

function hex(prefix: string, name: string, length = 6): string {
  return createHash("sha256").update(`${prefix}\0${name}`, "utf8").digest("hex").slice(0, length);
}

function entry(prefix: string, name: string, key = `${prefix}/${name}`): ExposedNameEntry {
  return { key, prefix, name };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

describe("exposedToolName", () => {
  it("joins slug and tool with a double underscore", () => {
    expect(exposedToolName("github", "create_issue")).toBe("github__create_issue");
    expect(exposedToolName("my-server", "get-sum")).toBe("my-server__get-sum");
  });

  it("replaces dots, slashes and spaces", () => {
    expect(exposedToolName("docs", WEIRD_TOOL_NAME)).toBe("docs__weird_name_with_spaces");
    expect(exposedToolName("a.b", "x")).toBe("a_b__x");
  });

  it("replaces each unicode character, astral ones included, with one underscore", () => {
    expect(exposedToolName("srv", "café")).toBe("srv__caf_");
    expect(exposedToolName("srv", "🚀launch")).toBe("srv___launch");
    expect(exposedToolName("srv", "日本語")).toBe("srv_____");
  });

  it("keeps a name of exactly 64 characters and suffixes one of 65", () => {
    const exact = "t".repeat(MAX_EXPOSED_TOOL_NAME_LENGTH - "srv__".length);
    expect(exposedToolName("srv", exact)).toBe(`srv__${exact}`);

    const over = `${exact}u`;
    const name = exposedToolName("srv", over);
    expect(name).toHaveLength(MAX_EXPOSED_TOOL_NAME_LENGTH);
    expect(name).toBe(`srv__${exact}`.slice(0, 57) + `_${hex("srv", over)}`);
  });

  it("truncates a 100-character name with a hash of the original", () => {
    const long = "a".repeat(100);
    const name = exposedToolName("billing", long);
    expect(name).toHaveLength(64);
    expect(name).toMatch(VALID);
    expect(name.endsWith(`_${hex("billing", long)}`)).toBe(true);
    expect(name.startsWith("billing__aaaa")).toBe(true);
  });

  it("is idempotent on names that are already valid and short", () => {
    const once = exposedToolName("srv", "tool");
    expect(exposedToolName("srv", "tool")).toBe(once);
    expect(once.replace(/[^a-zA-Z0-9_-]/g, "_")).toBe(once);
  });
});

describe("assignExposedNames", () => {
  it("leaves distinct short names as the base rule gives them", () => {
    const names = assignExposedNames([entry("gh", "create_issue"), entry("gh", "list_issues")]);
    expect(names.get("gh/create_issue")).toBe("gh__create_issue");
    expect(names.get("gh/list_issues")).toBe("gh__list_issues");
  });

  it("suffixes every tool that sanitizes to the same name, each with its own hash", () => {
    const names = assignExposedNames([
      entry("srv", "a.b"),
      entry("srv", "a b"),
      entry("srv", "other"),
    ]);
    expect(names.get("srv/a.b")).toBe(`srv__a_b_${hex("srv", "a.b")}`);
    expect(names.get("srv/a b")).toBe(`srv__a_b_${hex("srv", "a b")}`);
    expect(names.get("srv/other")).toBe("srv__other");
    // Neither keeps the plain name: it would silently mean one of them.
    expect([...names.values()]).not.toContain("srv__a_b");
  });

  it("suffixes a tool whose plain name equals another's after sanitizing", () => {
    const names = assignExposedNames([entry("srv", "a_b"), entry("srv", "a.b")]);
    expect(names.get("srv/a_b")).toBe(`srv__a_b_${hex("srv", "a_b")}`);
    expect(names.get("srv/a.b")).toBe(`srv__a_b_${hex("srv", "a.b")}`);
  });

  it("clashes across servers when slug and tool sanitize alike", () => {
    const names = assignExposedNames([entry("a.b", "c"), entry("a_b", "c")]);
    expect(names.get("a.b/c")).toBe(`a_b__c_${hex("a.b", "c")}`);
    expect(names.get("a_b/c")).toBe(`a_b__c_${hex("a_b", "c")}`);
  });

  it("extends the hash when the suffixed name is a real tool's plain name", () => {
    const taken = `a_b_${hex("srv", "a.b")}`;
    const names = assignExposedNames([
      entry("srv", "a.b"),
      entry("srv", "a b"),
      entry("srv", taken),
    ]);
    expect(names.get(`srv/${taken}`)).toBe(`srv__${taken}`);
    expect(names.get("srv/a.b")).toBe(`srv__a_b_${hex("srv", "a.b", 8)}`);
    expect(names.get("srv/a b")).toBe(`srv__a_b_${hex("srv", "a b")}`);
  });

  it("keeps long names that share their first 64 characters apart", () => {
    const stem = "x".repeat(80);
    const names = assignExposedNames([
      entry("srv", `${stem}_one`),
      entry("srv", `${stem}_two`),
      entry("srv", LONG_TOOL_NAME),
    ]);
    const values = [...names.values()];
    expect(new Set(values).size).toBe(3);
    for (const value of values) {
      expect(value).toHaveLength(64);
      expect(value).toMatch(VALID);
    }
    expect(names.get(`srv/${stem}_one`)).toBe(exposedToolName("srv", `${stem}_one`));
    expect(names.get(`srv/${LONG_TOOL_NAME}`)).toBe(
      `srv__${LONG_TOOL_NAME}`.slice(0, 57) + `_${hex("srv", LONG_TOOL_NAME)}`,
    );
  });

  it("separates entries with the same prefix and name, ordered by key", () => {
    const names = assignExposedNames([entry("srv", "dup", "k1"), entry("srv", "dup", "k2")]);
    const first = names.get("k1");
    const second = names.get("k2");
    expect(first).toBe(`srv__dup_${hex("srv", "dup")}`);
    // Sorted by key, k2 comes second and finds the 6-hex name taken.
    expect(second).toBe(`srv__dup_${hex("srv", "dup", 8)}`);
  });

  it("rejects duplicate keys", () => {
    expect(() => assignExposedNames([entry("a", "x", "k"), entry("b", "y", "k")])).toThrow(
      /Duplicate tool key/,
    );
  });

  it("gives the same names whatever the input order", () => {
    const taken = `a_b_${hex("srv", "a.b")}`;
    const entries = [
      entry("srv", "a.b"),
      entry("srv", "a b"),
      entry("srv", taken),
      entry("srv", "x".repeat(100)),
      entry("srv", "dup", "k1"),
      entry("srv", "dup", "k2"),
    ];
    const expected = [...assignExposedNames(entries)].sort();
    for (const order of permutations(entries)) {
      expect([...assignExposedNames(order)].sort()).toEqual(expected);
    }
  });

  it("is deterministic across calls and always valid and unique", () => {
    const entries = [
      entry("docs", WEIRD_TOOL_NAME),
      entry("docs", "weird_name_with_spaces"),
      entry("docs", "🚀"),
      entry("docs", "_"),
      entry("", ""),
      entry("a".repeat(70), "tool"),
    ];
    const first = assignExposedNames(entries);
    const second = assignExposedNames(entries);
    expect([...second]).toEqual([...first]);
    expect(first.size).toBe(entries.length);
    expect(new Set(first.values()).size).toBe(entries.length);
    for (const value of first.values()) expect(value).toMatch(VALID);
  });
});
