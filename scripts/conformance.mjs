#!/usr/bin/env node
// npm run conformance: the MCP conformance suite (@modelcontextprotocol/conformance, client
// mode) against toolgate's own MCP client and OAuth code, through scripts/conformance-client.ts,
// for BOTH requirement sets the suite defines: 2026-07-28 and 2025-11-25. For each set the
// suite's own `list --client --requirements <set>` names the scenarios (the scored ones and the
// never-scored extensions, which are run and reported); each runs as its own
// `conformance client --scenario <s> --spec-version <set> --force`, which is what the suite's
// `client --requirements <set>` does per scenario, minus running them all at once. Prints one
// line per scenario and a summary per set, and exits 1 when a set lists other scenarios than
// REQUIREMENT_SETS below (fewer or more), when fewer scenarios ran than listed, on a failure
// not listed as expected, or when a listed failure starts passing (so the lists, mirrored in
// the README, cannot go stale). A stage of `npm test` (scripts/test-all.mjs).
//
//   npm run conformance [-- --requirements <set>] [-- <scenario>…] [-- --verbose]
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { REQUIREMENT_SETS } from "./conformance-expected.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
// The suite runs under this Node with scripts/conformance-compat (Node 20 lacks fs.globSync).
const SUITE = [
  "--import",
  path.join(root, "scripts", "conformance-compat", "register.mjs"),
  path.join(root, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js"),
];
const CLIENT = `${bin("tsx")} --conditions=react-server ${path.join(root, "scripts", "conformance-client.ts")}`;
// Per client run; a loaded machine (tsx starting the adapter) needs more than the default 30 s.
const TIMEOUT_MS = 60_000;
const CONCURRENCY = Math.max(1, Math.min(4, os.availableParallelism?.() ?? 2));

const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const setArg = args.indexOf("--requirements");
const onlySet = setArg >= 0 ? args[setArg + 1] : undefined;
const only = args.filter((a, i) => !a.startsWith("--") && !(setArg >= 0 && i === setArg + 1));

/**
 * The client scenarios of a requirement set as the suite lists them: the scored ones under
 * "Client scenarios", the never-scored ones (extensions, added after release, pending) marked
 * `[client]` below them.
 */
function listScenarios(set) {
  const res = spawnSync(process.execPath, [...SUITE, "list", "--client", "--requirements", set], {
    encoding: "utf8",
  });
  if (res.status !== 0) throw new Error(`conformance list failed:\n${res.stderr}`);
  const found = [];
  let section = "";
  for (const line of res.stdout.split("\n")) {
    if (/^\S/.test(line) || /^\s+\S.*:$/.test(line)) section = line.trim();
    const item = /^\s+-\s+(\S+)(?:\s+\[(\w+)\])?\s*$/.exec(line);
    if (item === null) continue;
    const scored = section.startsWith("Client scenarios");
    if (scored || item[2] === "client") found.push(item[1]);
  }
  return found;
}

function findFile(dir, name) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return full;
    if (entry.isDirectory()) {
      const found = findFile(full, name);
      if (found) return found;
    }
  }
  return undefined;
}

function runScenario(set, scenario, outDir) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        ...SUITE,
        "client",
        "--command",
        CLIENT,
        "--scenario",
        scenario,
        "--spec-version",
        set,
        "--force",
        "--timeout",
        String(TIMEOUT_MS),
        "--output-dir",
        outDir,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => {
      const checksFile = findFile(outDir, "checks.json");
      const stderrFile = findFile(outDir, "stderr.txt");
      const checks = checksFile ? JSON.parse(fs.readFileSync(checksFile, "utf8")) : [];
      const clientLog = stderrFile ? fs.readFileSync(stderrFile, "utf8") : "";
      resolve({
        set,
        scenario,
        passed: code === 0,
        seconds: (Date.now() - started) / 1000,
        problems: checks.filter((c) => c.status === "FAILURE" || c.status === "WARNING"),
        clientFailure: /\[toolgate\] failed: (.*)/.exec(clientLog)?.[1],
        output,
      });
    });
  });
}

const started = Date.now();
const sets = Object.keys(REQUIREMENT_SETS).filter(
  (set) => onlySet === undefined || set === onlySet,
);
if (sets.length === 0) {
  console.error(
    `Unknown requirement set ${onlySet}; known: ${Object.keys(REQUIREMENT_SETS).join(", ")}`,
  );
  process.exit(2);
}
const queue = [];
let listingOk = true;
for (const set of sets) {
  const { scenarios: expectedList, expectedFailures } = REQUIREMENT_SETS[set];
  const all = listScenarios(set);
  const missing = expectedList.filter((s) => !all.includes(s));
  const unlisted = all.filter((s) => !expectedList.includes(s));
  const stale = Object.keys(expectedFailures).filter((s) => !expectedList.includes(s));
  if (missing.length > 0 || unlisted.length > 0 || stale.length > 0) {
    if (missing.length > 0) console.error(`[${set}] the suite did not list: ${missing.join(", ")}`);
    if (unlisted.length > 0)
      console.error(`[${set}] the suite lists unknown scenarios: ${unlisted.join(", ")}`);
    if (stale.length > 0)
      console.error(`[${set}] expected failures name unknown: ${stale.join(", ")}`);
    console.error(
      `[${set}] expected the ${expectedList.length} scenarios listed in scripts/conformance-expected.mjs, found ${all.length}. Refusing to report a pass.`,
    );
    listingOk = false;
  }
  const unknown = only.filter((s) => !all.includes(s));
  if (only.length > 0 && unknown.length === only.length && sets.length === 1) {
    console.error(
      `Unknown scenario(s) in ${set}: ${unknown.join(", ")}\nAvailable: ${all.join(", ")}`,
    );
    process.exit(2);
  }
  for (const s of all) if (only.length === 0 || only.includes(s)) queue.push({ set, s });
}
if (!listingOk) process.exit(1);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-conformance-"));
console.log(
  `MCP conformance (client mode), requirement sets ${sets.join(" and ")}: ${queue.length} scenario runs, ${CONCURRENCY} at a time\n`,
);
const planned = queue.length;
const results = [];
let n = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const dir = path.join(tmp, String((n += 1)));
      fs.mkdirSync(dir);
      const result = await runScenario(item.set, item.s, dir);
      results.push(result);
      const expected = item.s in REQUIREMENT_SETS[item.set].expectedFailures;
      const mark = result.passed ? (expected ? "PASS?" : "pass ") : expected ? "xfail" : "FAIL ";
      console.log(`${mark} [${item.set}] ${item.s} (${result.seconds.toFixed(1)} s)`);
      if (!result.passed && (verbose || !expected)) {
        for (const c of result.problems) {
          console.log(`        ${c.status} ${c.id}: ${c.errorMessage ?? c.description}`);
        }
        if (result.clientFailure) console.log(`        client: ${result.clientFailure}`);
        if (verbose) console.log(result.output.replace(/^/gm, "        | "));
      }
    }
  }),
);
fs.rmSync(tmp, { recursive: true, force: true });

let failed = false;
for (const set of sets) {
  const { expectedFailures } = REQUIREMENT_SETS[set];
  const ofSet = results.filter((r) => r.set === set);
  const unexpected = ofSet.filter((r) => !r.passed && !(r.scenario in expectedFailures));
  const nowPassing = ofSet.filter((r) => r.passed && r.scenario in expectedFailures);
  const expected = ofSet.filter((r) => !r.passed && r.scenario in expectedFailures);
  const passed = ofSet.filter((r) => r.passed);
  console.log(
    `\n[${set}] ${passed.length} passed, ${expected.length} expected failures, ${unexpected.length} unexpected failures`,
  );
  for (const r of expected.sort((a, b) => a.scenario.localeCompare(b.scenario))) {
    console.log(`  xfail ${r.scenario}: ${expectedFailures[r.scenario]}`);
  }
  if (unexpected.length > 0) {
    console.log(`  Unexpected failures: ${unexpected.map((r) => r.scenario).join(", ")}`);
  }
  if (nowPassing.length > 0) {
    console.log(
      `  Listed as expected failures but passing (update scripts/conformance-expected.mjs and the README): ${nowPassing.map((r) => r.scenario).join(", ")}`,
    );
  }
  if (unexpected.length > 0 || nowPassing.length > 0) failed = true;
}
console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
if (results.length === 0 || results.length !== planned) {
  console.log(`\nRan ${results.length} of ${planned} scenarios: not a pass.`);
  process.exit(1);
}
process.exit(failed ? 1 : 0);
