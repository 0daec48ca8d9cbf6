#!/usr/bin/env node
// Tests the suite's deployed mode the way a QA team uses it: starts the production build
// (`npm start`'s script, which runs `next start`) as a separate "deployment" with its own
// DATA_DIR on its own port, creates the first admin through POST /api/setup to get an API
// token, runs the Playwright project "deployed" against it, and stops it.
//
//   npx next build && node scripts/e2e-deployed.mjs [playwright args, e.g. spec files]
//
// The deployment's EGRESS_ALLOWLIST names loopback, where the suite's fixtures listen: a real
// deployment needs the fixtures' host there too (README, Testing).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = Number(process.env.E2E_DEPLOYED_PORT ?? 3200);
const baseUrl = `http://localhost:${port}`;

if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("e2e-deployed: no production build here; run `npx next build` first.");
  process.exit(1);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "toolgate-deployed-"));
fs.mkdirSync(path.join(root, "reports"), { recursive: true });
const log = fs.createWriteStream(path.join(root, "reports", "deployed-app.log"));
// Its own process group, so stopping it also stops the `next start` child.
const app = spawn(process.execPath, ["scripts/start.mjs"], {
  cwd: root,
  detached: true,
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    APP_URL: baseUrl,
    EGRESS_ALLOWLIST: "127.0.0.1,localhost",
    OIDC_ISSUER: "",
    OIDC_CLIENT_ID: "",
    OIDC_CLIENT_SECRET: "",
  },
});
app.stdout.pipe(log);
app.stderr.pipe(log);
let appExited = false;
const exited = new Promise((resolve) => app.on("exit", resolve)).then(() => (appExited = true));

function signal(name) {
  try {
    process.kill(-app.pid, name);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to the app's process group; SIGKILL if it is still there after 10 s. */
async function stop() {
  if (appExited) return;
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
process.on("SIGINT", () => {
  signal("SIGTERM");
  process.exit(130);
});

async function waitForHealth() {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (appExited) throw new Error("the app exited while starting (reports/deployed-app.log)");
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${baseUrl}/api/health did not answer within 120 s`);
}

async function firstAdminToken() {
  const res = await fetch(`${baseUrl}/api/setup`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      name: "Deployment Owner",
      email: "owner@example.com",
      password: randomBytes(16).toString("hex"),
    }),
  });
  if (res.status !== 201) throw new Error(`POST /api/setup: ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}

function runPlaywright(token) {
  const args = ["playwright", "test", "--project=deployed", ...process.argv.slice(2)];
  console.log(`e2e-deployed: npx ${args.join(" ")} against ${baseUrl}`);
  return new Promise((resolve) => {
    const child = spawn("npx", args, {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        E2E_BASE_URL: baseUrl,
        E2E_ADMIN_TOKEN: token,
        // Ports of their own, so a local run's fixtures left behind cannot answer instead.
        E2E_FAKE_MODEL_PORT: process.env.E2E_DEPLOYED_FAKE_MODEL_PORT ?? "4112",
        E2E_MCP_PORT: process.env.E2E_DEPLOYED_MCP_PORT ?? "4113",
      },
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let code = 1;
try {
  await waitForHealth();
  code = await runPlaywright(await firstAdminToken());
} catch (err) {
  console.error(`e2e-deployed: ${err.message}`);
} finally {
  await stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
