#!/usr/bin/env node
// The one test command (npm test): static checks, Vitest on PGlite, Vitest on Postgres when
// DATABASE_URL is set, the MCP conformance suite, then Playwright against a production build:
// the local run (the suite starts the app), then the deployed mode against the same build
// started as a separate deployment (scripts/e2e-deployed.mjs). Every stage runs even if an
// earlier one fails, and the last line is "N passed, N failed" for CI to read.
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
/** Playwright runs that failed ("local", "deployed"), for the artefact paths at the end. */
const artefacts = [];
/** The specs the deployed-mode stage runs: the journeys a deployment must pass. */
const DEPLOYED_JOURNEYS = [
  "e2e/first-run.spec.ts",
  "e2e/auth.spec.ts",
  "e2e/admin-users.spec.ts",
  "e2e/mcp-servers.spec.ts",
  "e2e/providers.spec.ts",
  "e2e/chat.spec.ts",
  "e2e/api-tokens.spec.ts",
  "e2e/oidc.spec.ts",
];
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
    const file = path.join(reports, "playwright-local.json");
    fs.rmSync(file, { force: true });
    const ok = run("playwright", npx, ["playwright", "test"]);
    countPlaywright(file, ok);
    if (!ok) artefacts.push("local");

    // The same build as a separate deployment, and the suite's deployed mode against it: the
    // journeys that must work on any deployment, two at a time.
    if (!skip.has("deployed")) {
      const deployedFile = path.join(reports, "playwright-deployed.json");
      fs.rmSync(deployedFile, { force: true });
      const deployedOk = run("playwright (deployed)", "node", [
        "scripts/e2e-deployed.mjs",
        ...DEPLOYED_JOURNEYS,
      ]);
      countPlaywright(deployedFile, deployedOk);
      if (!deployedOk) artefacts.push("deployed");
    }
  }
}

// Where CI collects what a failed browser run left: the HTML report (with each failed test's
// trace and screenshot) and the raw test-results folder.
if (artefacts.length > 0) {
  console.log("\n=== Playwright artefacts of the failed runs");
  for (const mode of artefacts) {
    console.log(`HTML report: ${path.join(reports, `playwright-html-${mode}`)}`);
    console.log(`traces and screenshots: ${path.join(root, "test-results", mode)}`);
  }
  console.log("Open a trace with: npx playwright show-trace <trace.zip>");
}

console.log("\n=== summary");
for (const s of stages) console.log(`${s.ok ? "ok  " : "FAIL"} ${s.name} (${s.seconds}s)`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(stages.every((s) => s.ok) && totals.failed === 0 ? 0 : 1);
