import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyTemplate, listTemplates, readTemplate, TemplateNotFoundError } from "./index";

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "toolgate-tpl-"));
  dirs.push(dir);
  return dir;
};

afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

describe("workspace templates", () => {
  it("lists the templates with one-line descriptions", async () => {
    const templates = await listTemplates();
    expect(templates.map((t) => t.name)).toEqual(["empty", "sample-node"]);
    for (const t of templates) {
      expect(t.description.length).toBeGreaterThan(10);
      expect(t.description).not.toContain("\n");
    }
  });

  it("reads a template's files", async () => {
    const tpl = await readTemplate("sample-node");
    expect(tpl.files.map((f) => f.path)).toEqual([
      ".mcp.json",
      "README.md",
      "package.json",
      "src/index.js",
      "test/index.test.js",
      "tools/notes-mcp.mjs",
    ]);
    const mcp = tpl.files.find((f) => f.path === ".mcp.json");
    expect(mcp && "content" in mcp && JSON.parse(mcp.content).mcpServers.notes.command).toBe(
      "node",
    );
  });

  it("copies a template into an empty directory only", async () => {
    const dest = path.join(await tempDir(), "ws");
    expect(await copyTemplate("empty", dest)).toEqual(["README.md"]);
    expect(await fs.readFile(path.join(dest, "README.md"), "utf8")).toContain("# Workspace");
    await expect(copyTemplate("sample-node", dest)).rejects.toThrow(/not empty/);
    const node = await tempDir();
    await copyTemplate("sample-node", node);
    const pkg = JSON.parse(await fs.readFile(path.join(node, "package.json"), "utf8"));
    expect(pkg.scripts.test).toBe("node --test test/");
  });

  it("refuses names outside the manifest", async () => {
    const dest = await tempDir();
    await expect(copyTemplate("../agent", dest)).rejects.toBeInstanceOf(TemplateNotFoundError);
    await expect(readTemplate("nope")).rejects.toThrow(/no workspace template named "nope"/);
    expect(await fs.readdir(dest)).toEqual([]);
  });
});
