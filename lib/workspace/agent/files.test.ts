import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDirs, startTestAgent, type TestAgent } from "./test-helpers";

let t: TestAgent;
let outside: string;

beforeAll(async () => {
  const dir = await makeTempDir();
  outside = await makeTempDir("toolgate-outside-");
  await fs.writeFile(path.join(outside, "secret.txt"), "top secret\n");
  t = await startTestAgent(dir);
});

afterAll(async () => {
  await t.agent.close();
  await removeTempDirs();
});

describe("auth and request handling", () => {
  it("answers health without a token", async () => {
    const res = await t.api("GET", "/api/v0/health", undefined, null);
    expect(res).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("requires the bearer token on every other route", async () => {
    const none = await t.api("POST", "/api/v0/files/list", {}, null);
    expect(none.status).toBe(401);
    expect(none.contentType).toContain("application/problem+json");
    expect(none.body.code).toBe("auth.required");
    const wrong = await t.api("POST", "/api/v0/files/list", {}, "wrong-token-wrong-token");
    expect(wrong).toMatchObject({ status: 401, body: { code: "auth.invalid_token" } });
    const unknownRoute = await t.api("GET", "/api/v0/nope", undefined, null);
    expect(unknownRoute.status).toBe(401);
    const mcp = await t.api("GET", "/api/v0/mcp/tools", undefined, null);
    expect(mcp.status).toBe(401);
  });

  it("validates bodies strictly", async () => {
    const unknown = await t.api("POST", "/api/v0/files/read", { path: "a", bogus: 1 });
    expect(unknown).toMatchObject({ status: 400, body: { code: "validation.unknown_field" } });
    expect(unknown.body.validations).toEqual([{ field: "bogus", detail: "unknown field" }]);
    const invalid = await t.api("POST", "/api/v0/files/read", { path: 3 });
    expect(invalid).toMatchObject({ status: 400, body: { code: "validation.invalid" } });
    expect(invalid.body.validations[0].field).toBe("path");
    const malformed = await t.api("POST", "/api/v0/files/read", "{nope");
    expect(malformed).toMatchObject({ status: 400, body: { code: "validation.malformed_json" } });
  });

  it("caps bodies at 1 MiB and wants JSON", async () => {
    const big = await t.api("POST", "/api/v0/files/write", {
      path: "big.txt",
      content: "x".repeat(1024 * 1024 + 10),
    });
    expect(big).toMatchObject({ status: 413, body: { code: "request.too_large" } });
    const res = await fetch(`${t.agent.url}/api/v0/files/list`, {
      method: "POST",
      headers: {
        authorization: `Bearer test-workspace-token-0123456789`,
        "content-type": "text/plain",
      },
      body: "{}",
    });
    expect(res.status).toBe(415);
  });
});

describe("path confinement", () => {
  beforeAll(async () => {
    await fs.symlink(path.join(outside, "secret.txt"), path.join(t.dir, "link-out.txt"));
    await fs.symlink(outside, path.join(t.dir, "dir-out"));
    await fs.symlink(path.join(outside, "missing.txt"), path.join(t.dir, "dangling-out"));
    await fs.writeFile(path.join(t.dir, "inside.txt"), "inside\n");
    await fs.symlink(path.join(t.dir, "inside.txt"), path.join(t.dir, "link-in.txt"));
  });

  const refused = async (route: string, body: object) => {
    const res = await t.api("POST", route, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe("workspace.path_outside");
  };

  it("refuses .. and absolute paths", async () => {
    await refused("/api/v0/files/read", { path: "../x" });
    await refused("/api/v0/files/read", { path: "a/../../x" });
    await refused("/api/v0/files/read", { path: path.join(outside, "secret.txt") });
    await refused("/api/v0/files/write", { path: "../escape.txt", content: "x" });
    await refused("/api/v0/files/list", { path: ".." });
    await expect(fs.access(path.join(path.dirname(t.dir), "escape.txt"))).rejects.toThrow();
  });

  it("refuses symlinks that lead outside", async () => {
    await refused("/api/v0/files/read", { path: "link-out.txt" });
    await refused("/api/v0/files/read", { path: "dir-out/secret.txt" });
    await refused("/api/v0/files/read", { path: "dir-out/does-not-exist.txt" });
    await refused("/api/v0/files/read", { path: "dangling-out" });
    await refused("/api/v0/files/list", { path: "dir-out" });
    await refused("/api/v0/files/write", { path: "dir-out/new.txt", content: "x" });
    await refused("/api/v0/files/write", {
      path: "dir-out/sub/new.txt",
      content: "x",
      create_dirs: true,
    });
    await expect(fs.readdir(outside)).resolves.toEqual(["secret.txt"]);
  });

  it("refuses writing or editing through a symlink, even one pointing inside", async () => {
    await refused("/api/v0/files/write", { path: "link-out.txt", content: "pwned" });
    await refused("/api/v0/files/write", { path: "dangling-out", content: "pwned" });
    await refused("/api/v0/files/write", { path: "link-in.txt", content: "changed" });
    await refused("/api/v0/files/edit", {
      path: "link-out.txt",
      edits: [{ old_text: "top", new_text: "bottom" }],
    });
    expect(await fs.readFile(path.join(outside, "secret.txt"), "utf8")).toBe("top secret\n");
    await expect(fs.access(path.join(outside, "missing.txt"))).rejects.toThrow();
    expect(await fs.readFile(path.join(t.dir, "inside.txt"), "utf8")).toBe("inside\n");
  });

  it("with no_symlinks, refuses a directory symlink on the way, even one staying inside", async () => {
    await fs.mkdir(path.join(t.dir, "real-plans"), { recursive: true });
    await fs.mkdir(path.join(t.dir, ".plan-root"), { recursive: true });
    await fs.symlink("../real-plans", path.join(t.dir, ".plan-root", "plans"));
    const res = await t.api("POST", "/api/v0/files/write", {
      path: ".plan-root/plans/p.md",
      content: "plan",
      create_dirs: true,
      no_symlinks: true,
    });
    expect(res).toMatchObject({ status: 400, body: { code: "workspace.path_outside" } });
    expect(await fs.readdir(path.join(t.dir, "real-plans"))).toEqual([]);
    // Positive control: a real directory, created on the way, is fine.
    const ok = await t.api("POST", "/api/v0/files/write", {
      path: ".plan-root/real/p.md",
      content: "plan",
      create_dirs: true,
      no_symlinks: true,
    });
    expect(ok.status).toBe(200);
  });

  it("reads through a symlink that stays inside", async () => {
    const res = await t.api("POST", "/api/v0/files/read", { path: "link-in.txt" });
    expect(res).toMatchObject({ status: 200, body: { content: "inside" } });
  });
});

describe("read, write, edit, list", () => {
  it("writes and reads back, with line windows and numbers", async () => {
    const write = await t.api("POST", "/api/v0/files/write", {
      path: "notes/a.txt",
      content: "one\ntwo\r\nthree\nfour\n",
      create_dirs: true,
    });
    expect(write).toMatchObject({
      status: 200,
      body: { path: "notes/a.txt", bytes_written: 20, created: true },
    });
    const all = await t.api("POST", "/api/v0/files/read", { path: "notes/a.txt" });
    expect(all.body).toMatchObject({
      content: "one\ntwo\r\nthree\nfour",
      start_line: 1,
      end_line: 4,
      has_more: false,
    });
    const window = await t.api("POST", "/api/v0/files/read", {
      path: "notes/a.txt",
      offset: 2,
      limit: 2,
      line_numbers: true,
    });
    expect(window.body).toMatchObject({
      content: "     2\ttwo\r\n     3\tthree",
      start_line: 2,
      end_line: 3,
      has_more: true,
      next_offset: 4,
    });
  });

  it("needs create_dirs for a missing parent and reports missing files", async () => {
    const noDirs = await t.api("POST", "/api/v0/files/write", { path: "x/y/z.txt", content: "" });
    expect(noDirs).toMatchObject({ status: 404, body: { code: "workspace.parent_missing" } });
    const missing = await t.api("POST", "/api/v0/files/read", { path: "nope.txt" });
    expect(missing).toMatchObject({ status: 404, body: { code: "workspace.not_found" } });
    const dir = await t.api("POST", "/api/v0/files/read", { path: "notes" });
    expect(dir).toMatchObject({ status: 400, body: { code: "workspace.is_directory" } });
  });

  it("caps a read at 256 KiB with a truncation marker", async () => {
    const line = "y".repeat(99);
    await fs.writeFile(path.join(t.dir, "big.log"), `${line}\n`.repeat(5000));
    const res = await t.api("POST", "/api/v0/files/read", { path: "big.log" });
    expect(res.body.truncated).toBe(true);
    expect(res.body.has_more).toBe(true);
    expect(res.body.end_line).toBe(2621);
    expect(res.body.content).toMatch(
      /\[toolgate: output truncated at 262144 bytes; read on with offset=2622\]$/,
    );
    const next = await t.api("POST", "/api/v0/files/read", { path: "big.log", offset: 4999 });
    expect(next.body).toMatchObject({
      start_line: 4999,
      end_line: 5000,
      has_more: false,
      truncated: false,
    });
  });

  it("refuses binary files", async () => {
    await fs.writeFile(path.join(t.dir, "bin.dat"), Buffer.from([1, 0, 2, 3]));
    const res = await t.api("POST", "/api/v0/files/read", { path: "bin.dat" });
    expect(res).toMatchObject({ status: 400, body: { code: "workspace.binary_file" } });
  });

  it("edits by exact match, atomically, with clear errors", async () => {
    await t.api("POST", "/api/v0/files/write", { path: "e.txt", content: "a b a\nc $& d\n" });
    const ok = await t.api("POST", "/api/v0/files/edit", {
      path: "e.txt",
      edits: [
        { old_text: "c $& d", new_text: "C $1 D" },
        { old_text: "a", new_text: "A", replace_all: true },
      ],
    });
    expect(ok).toMatchObject({ status: 200, body: { replacements: [1, 2] } });
    expect(await fs.readFile(path.join(t.dir, "e.txt"), "utf8")).toBe("A b A\nC $1 D\n");

    const ambiguous = await t.api("POST", "/api/v0/files/edit", {
      path: "e.txt",
      edits: [{ old_text: "A", new_text: "z" }],
    });
    expect(ambiguous).toMatchObject({ status: 400, body: { code: "workspace.edit_ambiguous" } });
    expect(ambiguous.body.message).toContain("matches 2 places");

    const missing = await t.api("POST", "/api/v0/files/edit", {
      path: "e.txt",
      edits: [
        { old_text: "b", new_text: "B" },
        { old_text: "not there", new_text: "x" },
      ],
    });
    expect(missing).toMatchObject({ status: 400, body: { code: "workspace.edit_not_found" } });
    expect(missing.body.validations).toEqual([{ field: "edits[1].old_text", detail: "not found" }]);
    // The first edit was valid but nothing was written.
    expect(await fs.readFile(path.join(t.dir, "e.txt"), "utf8")).toBe("A b A\nC $1 D\n");
  });

  it("lists to a depth, without following symlinks", async () => {
    await fs.mkdir(path.join(t.dir, "tree/sub/deeper"), { recursive: true });
    await fs.writeFile(path.join(t.dir, "tree/sub/f.txt"), "12345");
    await fs.writeFile(path.join(t.dir, "tree/sub/deeper/g.txt"), "");
    const one = await t.api("POST", "/api/v0/files/list", { path: "tree" });
    expect(one.body).toEqual({
      path: "tree",
      entries: [{ path: "tree/sub", type: "directory" }],
      truncated: false,
    });
    const two = await t.api("POST", "/api/v0/files/list", { path: "tree", depth: 2 });
    expect(two.body.entries).toEqual([
      { path: "tree/sub", type: "directory" },
      { path: "tree/sub/deeper", type: "directory" },
      { path: "tree/sub/f.txt", type: "file", size: 5 },
    ]);
    const root = await t.api("POST", "/api/v0/files/list", {});
    expect(root.body.entries).toContainEqual({ path: "dir-out", type: "symlink" });
    expect(root.body.entries.some((e: any) => e.path.startsWith("dir-out/"))).toBe(false);
  });
});
