// Names of what a spec creates. Every one starts with RUN_PREFIX, so that on a deployment the
// teardown (deployed.teardown.ts) finds and removes exactly what this run made.
import { randomBytes } from "node:crypto";
import { RUN_PREFIX } from "./constants";

/**
 * `e2e-<run>-<label>-<suffix>`: unique across workers and repeats, lowercase letters, digits and
 * dashes only, so it is also a valid MCP server slug (≤ 32 characters) while `label` has at
 * most 13 characters.
 */
export function unique(label: string): string {
  if (!/^[a-z0-9-]{1,13}$/.test(label)) throw new Error(`unique(): bad label ${label}`);
  const suffix = Date.now().toString(36).slice(-4) + randomBytes(2).toString("hex");
  return `${RUN_PREFIX}${label}-${suffix}`;
}

/** A fresh example.com address of this run. */
export function uniqueEmail(label: string): string {
  return `${unique(label)}@example.com`;
}
