#!/usr/bin/env node
// npm run conformance: the MCP conformance suite (@modelcontextprotocol/conformance, client
// mode) against toolgate's own MCP client and OAuth code, through scripts/conformance-client.ts.
// Runs every client scenario the suite lists, each as its own `conformance client --scenario …`
// run, prints one line per scenario and a summary, and exits 1 when the suite lists other
// scenarios than SCENARIOS below, on a failure not listed in EXPECTED_FAILURES, or when a
// listed one starts passing (so the list, mirrored in the README, cannot go stale). A stage of
// `npm test` (scripts/test-all.mjs).
//
//   npm run conformance [-- <scenario>…] [-- --verbose]
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
// The suite runs under this Node with scripts/conformance-compat (Node 20 lacks fs.globSync).
const SUITE = [
  "--import",
  path.join(root, "scripts", "conformance-compat", "register.mjs"),
  path.join(root, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js"),
];
const CLIENT = `${bin("tsx")} --conditions=react-server ${path.join(root, "scripts", "conformance-client.ts")}`;
const TIMEOUT_MS = 30_000;
const CONCURRENCY = Math.max(1, Math.min(4, os.availableParallelism?.() ?? 2));

/** Scenarios toolgate knowingly fails, with the reason (keep in step with the README). */
const EXPECTED_FAILURES = {
  "auth/client-credentials-jwt":
    "an extension: the client_credentials grant (private_key_jwt) gives a server one machine identity for everybody; toolgate's OAuth2 servers act for each member (authorization code flow), and a shared identity is what a server's static bearer or API-key header is for",
  "auth/client-credentials-basic":
    "an extension: the client_credentials grant (client_secret_basic) gives a server one machine identity for everybody; toolgate's OAuth2 servers act for each member (authorization code flow), and a shared identity is what a server's static bearer or API-key header is for",
  "auth/cross-app-access-complete-flow":
    "enterprise-managed authorization (an extension: an ID-JAG from the member's identity provider exchanged at the MCP authorization server, RFC 8693 + RFC 7523) is not implemented",
};

const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const only = args.filter((a) => !a.startsWith("--"));

function listScenarios() {
  const res = spawnSync(process.execPath, [...SUITE, "list", "--client"], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`conformance list failed:\n${res.stderr}`);
  // Lines read "- <scenario>", newer suites append the spec revisions: "- <scenario> [a,b]".
  return [...res.stdout.matchAll(/^\s*-\s+(\S+)(?:\s+\[[^\]]*\])?\s*$/gm)].map((m) => m[1]);
}

/**
 * Every client scenario of the pinned suite (package.json pins it exactly). A full run must
 * find exactly these: fewer means the listing was misread (as happened when its format
 * changed, and the gate passed with zero), more means a suite upgrade brought scenarios
 * nobody has looked at. Either fails the gate; update this list when bumping the suite.
 */
const SCENARIOS = [
  "initialize",
  "tools_call",
  "elicitation-sep1034-client-defaults",
  "sse-retry",
  "auth/metadata-default",
  "auth/metadata-var1",
  "auth/metadata-var2",
  "auth/metadata-var3",
  "auth/basic-cimd",
  "auth/scope-from-www-authenticate",
  "auth/scope-from-scopes-supported",
  "auth/scope-omitted-when-undefined",
  "auth/scope-step-up",
  "auth/scope-retry-limit",
  "auth/token-endpoint-auth-basic",
  "auth/token-endpoint-auth-post",
  "auth/token-endpoint-auth-none",
  "auth/pre-registration",
  "auth/2025-03-26-oauth-metadata-backcompat",
  "auth/2025-03-26-oauth-endpoint-fallback",
  "auth/resource-mismatch",
  "auth/offline-access-scope",
  "auth/offline-access-not-supported",
  "auth/client-credentials-jwt",
  "auth/client-credentials-basic",
  "auth/cross-app-access-complete-flow",
];

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

function runScenario(scenario, outDir) {
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
const all = listScenarios();
const scenarios = only.length > 0 ? all.filter((s) => only.includes(s)) : all;
const unknown = only.filter((s) => !all.includes(s));
if (unknown.length > 0) {
  console.error(`Unknown scenario(s): ${unknown.join(", ")}\nAvailable: ${all.join(", ")}`);
  process.exit(2);
}
const missing = SCENARIOS.filter((s) => !all.includes(s));
const unlisted = all.filter((s) => !SCENARIOS.includes(s));
const stale = Object.keys(EXPECTED_FAILURES).filter((s) => !SCENARIOS.includes(s));
if (missing.length > 0 || unlisted.length > 0 || stale.length > 0) {
  if (missing.length > 0) console.error(`The suite did not list: ${missing.join(", ")}`);
  if (unlisted.length > 0)
    console.error(`The suite lists unknown scenarios: ${unlisted.join(", ")}`);
  if (stale.length > 0) console.error(`EXPECTED_FAILURES names unknown: ${stale.join(", ")}`);
  console.error(
    `Expected the ${SCENARIOS.length} scenarios of SCENARIOS, found ${all.length}. Refusing to report a pass.`,
  );
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-conformance-"));
console.log(
  `MCP conformance (client mode), ${scenarios.length} scenarios, ${CONCURRENCY} at a time\n`,
);
const results = [];
const queue = scenarios.map((s, i) => ({ s, dir: path.join(tmp, String(i)) }));
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      fs.mkdirSync(item.dir);
      const result = await runScenario(item.s, item.dir);
      results.push(result);
      const expected = item.s in EXPECTED_FAILURES;
      const mark = result.passed ? (expected ? "PASS?" : "pass ") : expected ? "xfail" : "FAIL ";
      console.log(`${mark} ${item.s} (${result.seconds.toFixed(1)} s)`);
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

const unexpected = results.filter((r) => !r.passed && !(r.scenario in EXPECTED_FAILURES));
const nowPassing = results.filter((r) => r.passed && r.scenario in EXPECTED_FAILURES);
const expected = results.filter((r) => !r.passed && r.scenario in EXPECTED_FAILURES);
const passed = results.filter((r) => r.passed);
console.log(
  `\n${passed.length} passed, ${expected.length} expected failures, ${unexpected.length} unexpected failures` +
    ` (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
if (expected.length > 0) {
  console.log("\nKnown failures:");
  for (const r of expected.sort((a, b) => a.scenario.localeCompare(b.scenario))) {
    console.log(`  ${r.scenario}: ${EXPECTED_FAILURES[r.scenario]}`);
  }
}
if (unexpected.length > 0) {
  console.log(`\nUnexpected failures: ${unexpected.map((r) => r.scenario).join(", ")}`);
}
if (nowPassing.length > 0) {
  console.log(
    `\nListed as expected failures but passing (update EXPECTED_FAILURES and the README): ${nowPassing.map((r) => r.scenario).join(", ")}`,
  );
}
if (results.length === 0 || results.length !== scenarios.length) {
  console.log(`\nRan ${results.length} of ${scenarios.length} scenarios: not a pass.`);
  process.exit(1);
}
process.exit(unexpected.length > 0 || nowPassing.length > 0 ? 1 : 0);
