import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Returns the contents of a generated secret file in `dir`, creating it on first use.
 * The file is created exclusively (`wx`) so two processes starting together agree on one value.
 */
export function readOrCreateSecretFile(dir: string, name: string, create: () => string): string {
  ensureDir(dir);
  const file = path.join(dir, name);
  try {
    fs.writeFileSync(file, create() + "\n", { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return fs.readFileSync(file, "utf8").trim();
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64");
}
