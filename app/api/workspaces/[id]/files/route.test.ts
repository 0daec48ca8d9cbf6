// The read-only file browser against a real workspace agent: its listing and viewer, and the
// ways a path could leave the workspace (`..`, absolute paths, symlinks to files and
// directories outside).
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findWorkspace } from "@/db/queries/workspaces";
import { call } from "@/lib/testing/http";
import { withTestDatabase } from "@/lib/testing/db";
import { seedUser } from "@/lib/testing/fixtures";
import { stopWorkspacesAfterAll } from "@/lib/testing/workspaces";
import { POST as createWorkspace } from "../../route";
import { POST as stop } from "../stop/route";
import { GET as read } from "./content/route";
import { GET as list } from "./route";

const t = withTestDatabase();
const SECRET = "OUTSIDE-SECRET-4f1e";
let alice: Awaited<ReturnType<typeof seedUser>>;
let bob: Awaited<ReturnType<typeof seedUser>>;
let wsId: string;
let outside: string;
const created = stopWorkspacesAfterAll(t);

beforeAll(async () => {
  alice = await seedUser(t.db);
  bob = await seedUser(t.db);
  const ws = await call(createWorkspace, {
    token: alice.token,
    body: { name: "browse", template: "empty" },
  });
  expect(ws.status, JSON.stringify(ws.body)).toBe(201);
  wsId = ws.body.id;
  created.push(wsId);
  const dir = (await findWorkspace(t.db, wsId))!.dir;
  outside = await fs.mkdtemp(path.join(os.tmpdir(), "toolgate-outside-"));
  await fs.chmod(outside, 0o755);
  await fs.writeFile(path.join(outside, "secret.txt"), SECRET, { mode: 0o644 });
  await fs.mkdir(path.join(dir, "src"), { recursive: true });
  await fs.writeFile(path.join(dir, "src", "app.ts"), "export const answer = 42;\n");
  await fs.writeFile(path.join(dir, "README.md"), "# Hello\n");
  await fs.writeFile(path.join(dir, "blob.bin"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
  await fs.writeFile(path.join(dir, "big.txt"), `${"x".repeat(99)}\n`.repeat(4000));
  await fs.symlink("src/app.ts", path.join(dir, "link-in"));
  await fs.symlink(path.join(outside, "secret.txt"), path.join(dir, "leak"));
  await fs.symlink(outside, path.join(dir, "outdir"));
  await fs.symlink("../../..", path.join(dir, "src", "up"));
  // The agent runs as the workspace's own uid when the tests run as root.
  for (const p of ["src", "src/app.ts", "README.md", "blob.bin", "big.txt"]) {
    await fs.chmod(path.join(dir, p), p === "src" ? 0o755 : 0o644);
  }
});

afterAll(async () => {
  if (outside) await fs.rm(outside, { recursive: true, force: true });
});

const ls = (p?: string, token = alice.token, id = wsId) =>
  call(list, {
    token,
    params: { id },
    path: `/api/workspaces/${id}/files${p === undefined ? "" : `?path=${encodeURIComponent(p)}`}`,
  });
const cat = (p: string, token = alice.token, id = wsId) =>
  call(read, {
    token,
    params: { id },
    path: `/api/workspaces/${id}/files/content?path=${encodeURIComponent(p)}`,
  });

describe("workspace file browser", () => {
  it("lists a directory, directories first, symlinks as links (never followed)", async () => {
    const res = await ls();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.path).toBe(".");
    const byName = Object.fromEntries(res.body.entries.map((e: { name: string }) => [e.name, e]));
    expect(res.body.entries[0]).toMatchObject({ name: "src", type: "directory", path: "src" });
    expect(byName["README.md"]).toEqual({
      name: "README.md",
      path: "README.md",
      type: "file",
      size: 8,
    });
    expect(byName.leak).toMatchObject({ type: "symlink" });
    expect(byName.outdir).toMatchObject({ type: "symlink" });
    const src = await ls("src");
    expect(src.body.entries.map((e: { path: string }) => e.path)).toEqual(["src/app.ts", "src/up"]);
  });

  it("shows a text file, and a link that stays inside", async () => {
    const res = await cat("src/app.ts");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      path: "src/app.ts",
      size: 26,
      content: "export const answer = 42;",
      truncated: false,
    });
    expect((await cat("./link-in")).body.content).toBe("export const answer = 42;");
  });

  it("cuts large files at 256 KiB and says so; refuses binary files", async () => {
    const big = await cat("big.txt");
    expect(big.status).toBe(200);
    expect(big.body.truncated).toBe(true);
    expect(big.body.size).toBe(400_000);
    expect(Buffer.byteLength(big.body.content)).toBeLessThanOrEqual(256 * 1024);
    expect(big.body.content).not.toContain("[toolgate:");
    const bin = await cat("blob.bin");
    expect(bin.status).toBe(400);
    expect(bin.headers.get("content-type")).toBe("application/problem+json");
    expect(bin.body.code).toBe("workspace.binary_file");
  });

  it("refuses paths that leave the workspace, by `..`, absolute path or symlink", async () => {
    for (const p of [
      "../../../etc/passwd",
      "/etc/passwd",
      "src/../../x",
      "leak",
      "outdir/secret.txt",
      "src/up/etc/passwd",
    ]) {
      const res = await cat(p);
      expect(res.status, p).toBe(400);
      expect(res.body.code, p).toBe("workspace.path_outside");
      expect(res.body.validations[0].field).toBe("query.path");
      expect(JSON.stringify(res.body)).not.toContain(SECRET);
      expect(JSON.stringify(res.body)).not.toContain(outside);
    }
    for (const p of ["..", "/", "outdir", "src/up"]) {
      const res = await ls(p);
      expect(res.status, p).toBe(400);
      expect(res.body.code, p).toBe("workspace.path_outside");
      expect(JSON.stringify(res.body)).not.toContain("secret.txt");
    }
  });

  it("answers missing paths, directories and bad queries with problems", async () => {
    expect((await cat("nope.txt")).body.code).toBe("workspace.not_found");
    expect((await cat("nope.txt")).status).toBe(404);
    expect((await cat("src")).body.code).toBe("workspace.is_directory");
    expect((await ls("README.md")).body.code).toBe("workspace.not_a_directory");
    const noPath = await call(read, {
      token: alice.token,
      params: { id: wsId },
      path: `/api/workspaces/${wsId}/files/content`,
    });
    expect(noPath.status).toBe(400);
    expect(noPath.body.validations[0].field).toBe("query.path");
    const extra = await call(list, {
      token: alice.token,
      params: { id: wsId },
      path: `/api/workspaces/${wsId}/files?path=src&depth=9`,
    });
    expect(extra.status).toBe(400);
    expect(extra.body.code).toBe("validation.unknown_field");
  });

  it("is the owner's only: others get the same 404 as a missing workspace", async () => {
    const other = await cat("README.md", bob.token);
    const missing = await cat("README.md", alice.token, "00000000-0000-4000-8000-00000000000a");
    expect(other.status).toBe(404);
    expect(other.body).toEqual(missing.body);
    expect((await ls(undefined, bob.token)).status).toBe(404);
    expect((await call(list, { params: { id: wsId } })).status).toBe(401);
  });

  it("says the workspace must run", async () => {
    const stopped = await call(stop, { token: alice.token, params: { id: wsId } });
    expect(stopped.status).toBe(200);
    const res = await ls();
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("workspace.not_running");
  });
});
