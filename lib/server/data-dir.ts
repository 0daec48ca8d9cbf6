import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

// A generated secret never changes while the process runs: read once per file, not per request.
const secretFiles = new Map<string, string>();

/**
 * Returns the contents of a generated secret file in `dir`, creating it on first use.
 * The file is created exclusively (`wx`) so two processes starting together agree on one value.
 */
export function readOrCreateSecretFile(dir: string, name: string, create: () => string): string {
  const file = path.resolve(dir, name);
  const known = secretFiles.get(file);
  if (known !== undefined) return known;
  ensureDir(dir);
  try {
    fs.writeFileSync(file, create() + "\n", { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const value = fs.readFileSync(file, "utf8").trim();
  secretFiles.set(file, value);
  return value;
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64");
}
