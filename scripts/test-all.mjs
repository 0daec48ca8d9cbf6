#!/usr/bin/env node
// The one test command (npm test): static checks, Vitest on PGlite, Vitest on Postgres when
// DATABASE_URL is set, the MCP conformance suite, then Playwright against a production build.
// Every stage runs even if an earlier one fails, and the last line is "N passed, N failed" for
// CI to read.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const reports = path.join(root, "reports");
fs.mkdirSync(reports, { recursive: true });

// The machine has no outside network: don't let Next try to send telemetry.
process.env.NEXT_TELEMETRY_DISABLED = "1";

const totals = { passed: 0, failed: 0 };
const stages = [];

function run(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const res = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  const ok = res.status === 0;
  stages.push({ name, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function countVitest(file, stageOk) {
  const report = readJson(file);
  if (!report) {
    // No report means the run itself broke: count it as a failure, never as a pass.
    totals.failed += stageOk ? 0 : 1;
    return;
  }
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  if (!stageOk && !report.numFailedTests) totals.failed += 1;
}

function countPlaywright(file, stageOk) {
  const report = readJson(file);
  if (!report?.stats) {
    totals.failed += stageOk ? 0 : 1;
    return;
  }
  totals.passed += report.stats.expected ?? 0;
  totals.failed += (report.stats.unexpected ?? 0) + (report.stats.flaky ?? 0);
  if (!stageOk && !report.stats.unexpected) totals.failed += 1;
}

const npx = "npx";
const skip = new Set((process.env.TEST_SKIP ?? "").split(",").filter(Boolean));

if (!skip.has("check")) {
  const ok = run("check", "npm", ["run", "check"]);
  if (!ok) totals.failed += 1;
}

if (!skip.has("unit")) {
  const file = path.join(reports, "vitest-pglite.json");
  fs.rmSync(file, { force: true });
  const ok = run(
    "vitest (PGlite)",
    npx,
    ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${file}`],
    {
      TOOLGATE_TEST_DB: "pglite",
    },
  );
  countVitest(file, ok);
}

if (!skip.has("postgres")) {
  if (process.env.DATABASE_URL) {
    const file = path.join(reports, "vitest-postgres.json");
    fs.rmSync(file, { force: true });
    // Only the suites that touch the database: the rest does not depend on the driver.
    const ok = run(
      "vitest (Postgres)",
      npx,
      [
        "vitest",
        "run",
        "app",
        "db",
        "lib/auth",
        "lib/api",
        "lib/crypto",
        "lib/server",
        "--reporter=default",
        "--reporter=json",
        `--outputFile=${file}`,
      ],
      { TOOLGATE_TEST_DB: "postgres" },
    );
    countVitest(file, ok);
  } else {
    console.log("\n=== vitest (Postgres): skipped, DATABASE_URL is not set");
  }
}

// The MCP conformance suite as a gate (scripts/conformance.mjs: the exact scenario list, the
// known failures, nothing passing by accident).
if (!skip.has("conformance")) {
  const ok = run("MCP conformance", "npm", ["run", "conformance"]);
  if (!ok) totals.failed += 1;
}

if (!skip.has("e2e")) {
  const built = run("next build", npx, ["next", "build"]);
  if (!built) {
    totals.failed += 1;
  } else {
    const file = path.join(reports, "playwright.json");
    fs.rmSync(file, { force: true });
    const ok = run("playwright", npx, ["playwright", "test"]);
    countPlaywright(file, ok);
  }
}

console.log("\n=== summary");
for (const s of stages) console.log(`${s.ok ? "ok  " : "FAIL"} ${s.name} (${s.seconds}s)`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(stages.every((s) => s.ok) && totals.failed === 0 ? 0 : 1);
