#!/usr/bin/env node
// Runs before `npm run dev` and `npm start`: workspace commands need bubblewrap (and ip from
// iproute2) to run sandboxed. On Debian as root, missing packages are installed; anywhere
// else the command to run is printed. The app starts either way: without the sandbox,
// workspace commands are refused (tool.sandbox_unavailable), never run unconfined.
// TOOLGATE_SKIP_SYSTEM_DEPS=1 skips this step.
import { spawnSync } from "node:child_process";

if (process.env.TOOLGATE_SKIP_SYSTEM_DEPS === "1") process.exit(0);

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const wanted = [
  ["bwrap", "bubblewrap"],
  ["ip", "iproute2"],
  ["nsenter", "util-linux"],
];
const missing = wanted.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
if (missing.length === 0) process.exit(0);

const command = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
if (process.getuid?.() === 0 && has("apt-get")) {
  console.log(`toolgate: installing the workspace sandbox's packages: ${missing.join(", ")}`);
  let res = spawnSync("sh", ["-c", command], { stdio: "inherit" });
  if (res.status !== 0) {
    res = spawnSync("sh", ["-c", `apt-get update -q && ${command}`], { stdio: "inherit" });
  }
  if (res.status === 0) process.exit(0);
}
console.warn(
  `toolgate: WARNING: ${missing.join(", ")} missing: workspace commands will be refused ` +
    `(tool.sandbox_unavailable) until you run: ${command}`,
);
