// Temporary folders the bench creates; the runner removes them all at exit, whatever happened.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const folders = new Set<string>();

export function track(dir: string): string {
  folders.add(dir);
  return dir;
}

export function tempDir(prefix: string): string {
  return track(fs.mkdtempSync(path.join(os.tmpdir(), `toolgate-bench-${prefix}-`)));
}

export function removeTempDirs(): void {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  folders.clear();
}
