#!/usr/bin/env node
// Part of `npm run check`: no non-test source file over MAX_LINES. A file that size does more
// than one thing; split it along what it does (docs/architecture.md, "Where code lives").
// Import cycles are the other structural check: `check:cycles` (dpdm) in package.json.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const MAX_LINES = 500;

/** Fixtures and the schema stay whole on purpose: one file is easier to read there. */
const EXEMPT = new Set([
  "db/schema.ts",
  "e2e/fixtures/fake-openai.ts",
  "e2e/fixtures/mcp-test-server.ts",
  "e2e/fixtures/oidc-provider.ts",
]);

/**
 * Files over the limit when the check was introduced, each with the size it may not exceed:
 * they may shrink, never grow, and leave this list once under MAX_LINES.
 */
const CEILINGS = new Map([
  ["lib/net/address-policy.ts", 550],
  ["lib/mcp/pool.ts", 820],
]);

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST = /\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)__tests__\//;

const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  encoding: "utf8",
})
  .split("\n")
  .filter((f) => SOURCE.test(f) && !TEST.test(f) && !f.endsWith(".d.ts") && !EXEMPT.has(f));

// A listing that found (almost) nothing means the check did not run, not that it passed.
const MIN_FILES = 100;
if (files.length < MIN_FILES) {
  console.error(
    `File size check found only ${files.length} source files (git ls-files); expected at least ${MIN_FILES}.`,
  );
  process.exit(1);
}

const problems = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    continue; // deleted in the work tree
  }
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  const ceiling = CEILINGS.get(file);
  if (ceiling !== undefined) {
    if (lines > ceiling) problems.push(`${file}: ${lines} lines, over its ceiling of ${ceiling}`);
    else if (lines <= MAX_LINES) problems.push(`${file}: ${lines} lines; remove it from CEILINGS`);
  } else if (lines > MAX_LINES) {
    problems.push(`${file}: ${lines} lines, over ${MAX_LINES}; split it`);
  }
}
if (problems.length > 0) {
  console.error(`File size check failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`File size check: ${files.length} source files within ${MAX_LINES} lines.`);
