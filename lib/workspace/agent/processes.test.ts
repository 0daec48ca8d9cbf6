import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  hostPidsWith,
  isGone,
  killIfAlive,
  makeTempDir,
  removeTempDirs,
  startTestAgent,
  waitFor,
  type TestAgent,
} from "./test-helpers";

let t: TestAgent;
const started: number[] = [];
const HOST_SECRET = "TOOLGATE_TEST_HOST_SECRET";

beforeAll(async () => {
  process.env[HOST_SECRET] = "must-not-leak";
  t = await startTestAgent(await makeTempDir());
  await fs.mkdir(path.join(t.dir, "sub"));
});

afterEach(() => {
  for (const pid of started.splice(0)) killIfAlive(pid);
});

afterAll(async () => {
  delete process.env[HOST_SECRET];
  await t.agent.close();
  await removeTempDirs();
});

const execute = (body: object) => t.api("POST", "/api/v0/processes/execute", body);

describe("foreground", () => {
  it("returns interleaved output and the exit code", async () => {
    const res = await execute({
      command: "echo out1; echo err1 >&2; sleep 0.05; echo out2; exit 3",
      shell: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      exit_code: 3,
      signal: null,
      timed_out: false,
      truncated: false,
    });
    expect(res.body.output).toBe("out1\nerr1\nout2\n");
    expect(res.body.process_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("runs an argument vector without a shell, in a confined cwd", async () => {
    const res = await execute({ command: "pwd", args: [], cwd: "sub" });
    expect(res.body).toMatchObject({ exit_code: 0, output: `${t.dir}/sub\n` });
    const noShell = await execute({ command: "echo", args: ["$HOME", "a;b"] });
    expect(noShell.body.output).toBe("$HOME a;b\n");
    const escape = await execute({ command: "pwd", cwd: "../" });
    expect(escape).toMatchObject({ status: 400, body: { code: "workspace.path_outside" } });
  });

  it("scrubs the environment: the sandbox's own variables and the given env only", async () => {
    const res = await execute({
      command: `echo "secret=[$${HOST_SECRET}] home=$HOME foo=$FOO"; env | cut -d= -f1 | sort | tr '\\n' ' '`,
      shell: true,
      env: { FOO: "bar" },
    });
    expect(res.body.output).toContain(`secret=[] home=${t.dir} foo=bar`);
    const names = res.body.output.split("\n")[1].trim().split(" ");
    expect(names.filter((n: string) => !["PWD", "SHLVL", "_", "OLDPWD"].includes(n))).toEqual([
      "FOO",
      "HOME",
      "HTTPS_PROXY",
      "HTTP_PROXY",
      "LANG",
      "NO_PROXY",
      "PATH",
      "TMPDIR",
      "USER",
      "http_proxy",
      "https_proxy",
      "no_proxy",
    ]);
  });

  it("reports a command that cannot start", async () => {
    const res = await execute({ command: "definitely-not-a-command-xyz" });
    expect(res).toMatchObject({ status: 400, body: { code: "process.spawn_failed" } });
    expect(res.body.message).toContain("command not found");
    const both = await execute({ command: "ls", args: ["-l"], shell: true });
    expect(both).toMatchObject({ status: 400, body: { code: "validation.invalid" } });
  });

  it("kills everything the command started on timeout, grandchildren included", async () => {
    const before = Date.now();
    const res = await execute({
      command: "sleep 300.1 & echo started; wait",
      shell: true,
      timeout_ms: 500,
    });
    started.push(res.body.pid);
    expect(Date.now() - before).toBeLessThan(5_000);
    expect(res.body).toMatchObject({ timed_out: true });
    expect(res.body.output).toBe("started\n");
    await waitFor(() => hostPidsWith("300.1").length === 0, "the grandchild to be killed", 3_000);
    expect(isGone(res.body.pid)).toBe(true);
  });

  it("returns when the command exits, and nothing it left behind outlives it", async () => {
    const before = Date.now();
    const res = await execute({
      // A background child, a new session and a double fork: all die with the command's
      // PID namespace when it exits.
      command: "sleep 30.2 & setsid sleep 30.2 & (sh -c 'sleep 30.2 &' &); echo done",
      shell: true,
    });
    expect(Date.now() - before).toBeLessThan(3_000);
    expect(res.body).toMatchObject({ exit_code: 0, output: "done\n", timed_out: false });
    await waitFor(() => hostPidsWith("30.2").length === 0, "the leftovers to be gone", 3_000);
  });

  it("caps output at 1 MiB, keeping the tail, with a marker", async () => {
    const res = await execute({
      command: "head -c 1500000 /dev/zero | tr '\\0' a; echo; echo THE-END",
      shell: true,
    });
    expect(res.body.exit_code).toBe(0);
    expect(res.body.truncated).toBe(true);
    expect(res.body.output).toMatch(/^\[toolgate: \d+ bytes of earlier output were dropped/);
    expect(res.body.output.endsWith("a\nTHE-END\n")).toBe(true);
    expect(res.body.next_offset).toBe(1500000 + 1 + 8);
    expect(res.body.output.length).toBeLessThan(1024 * 1024 + 200);
  });
});

describe("background", () => {
  it("starts at once, streams output, lists, and takes signals", async () => {
    const res = await execute({
      command: "trap 'echo got-term; exit 7' TERM; echo ready; while true; do sleep 0.05; done",
      shell: true,
      background: true,
    });
    expect(res.status).toBe(200);
    const { process_id: id, pid } = res.body;
    started.push(pid);
    expect(res.body.status).toBe("running");

    let offset = 0;
    await waitFor(async () => {
      const out = await t.api("POST", "/api/v0/processes/output", { process_id: id });
      offset = out.body.next_offset;
      return out.body.output === "ready\n";
    }, "ready output");

    const list = await t.api("GET", "/api/v0/processes");
    const entry = list.body.processes.find((p: any) => p.process_id === id);
    expect(entry).toMatchObject({ status: "running", exit_code: null, background: true, pid });
    expect(Date.parse(entry.started_at)).toBeGreaterThan(Date.now() - 60_000);

    const sig = await t.api("POST", "/api/v0/processes/signal", {
      process_id: id,
      signal: "SIGTERM",
    });
    expect(sig).toMatchObject({ status: 200, body: { signal: "SIGTERM" } });
    await waitFor(async () => {
      const out = await t.api("POST", "/api/v0/processes/output", {
        process_id: id,
        since: offset,
      });
      return out.body.status === "exited";
    }, "the process to exit");
    const out = await t.api("POST", "/api/v0/processes/output", { process_id: id, since: offset });
    // SIGTERM reaches the command inside the sandbox, which handles it and exits with 7.
    expect(out.body).toMatchObject({ status: "exited", exit_code: 7 });
    expect(out.body.output).toMatch(/got-term\n$/);
    expect(out.body.output).not.toContain("ready");
    expect(isGone(pid)).toBe(true);

    const again = await t.api("POST", "/api/v0/processes/signal", {
      process_id: id,
      signal: "SIGKILL",
    });
    expect(again).toMatchObject({ status: 409, body: { code: "process.not_running" } });
  });

  it("answers 404 for an unknown process and validates signals", async () => {
    const out = await t.api("POST", "/api/v0/processes/output", { process_id: "nope" });
    expect(out).toMatchObject({ status: 404, body: { code: "process.not_found" } });
    const bad = await t.api("POST", "/api/v0/processes/signal", {
      process_id: "x",
      signal: "SIGHUP",
    });
    expect(bad).toMatchObject({ status: 400, body: { code: "validation.invalid" } });
  });

  it("stops every group it started when the agent closes", async () => {
    const agent = await startTestAgent(await makeTempDir());
    const a = await agent.api("POST", "/api/v0/processes/execute", {
      command: "sleep 300.3 & trap '' TERM; while true; do sleep 0.1; done",
      shell: true,
      background: true,
    });
    const b = await agent.api("POST", "/api/v0/processes/execute", {
      command: "sleep",
      args: ["300.4"],
      background: true,
    });
    await waitFor(
      () => hostPidsWith("300.3").length > 0 && hostPidsWith("300.4").length > 0,
      "both sleeps",
    );
    const pids = [a.body.pid, b.body.pid, ...hostPidsWith("300.3"), ...hostPidsWith("300.4")];
    started.push(...pids);
    expect(pids.every((pid) => !isGone(pid))).toBe(true);
    await agent.agent.close();
    // The first ignores SIGTERM, so this also proves the SIGKILL escalation.
    for (const pid of pids) expect(isGone(pid), `pid ${pid}`).toBe(true);
  });
});
