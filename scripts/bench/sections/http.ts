// API throughput over HTTP against a real `next start` (the build in .next), with autocannon
// (10 connections): each list route as a ratio to GET /api/health measured in the same run,
// in interleaved rounds, with its p99 latency. PGlite in a temporary DATA_DIR, or a throwaway
// Postgres database with BENCH_DB=postgres.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";
import { freePort } from "@/e2e/fixtures/server-everything";
import { median } from "../measure";
import { ms, NotRun, perSec, ratio, type SectionReport } from "../report";
import type { BenchSection } from "../section";
import { tempDir } from "../temp";

const CONFIGS = 100;
const CHATS = 20;
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);

/** The build `next start` serves; undefined when there is none. */
export function buildDir(): string | undefined {
  const dir = path.resolve(".next");
  return fs.existsSync(path.join(dir, "BUILD_ID")) ? dir : undefined;
}

async function throwawayPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error("BENCH_DB=postgres needs DATABASE_URL");
  const name = `toolgate_bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function waitHealthy(origin: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${log()}`);
    const ok = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next start did not become healthy:\n${log()}`);
}

async function post(origin: string, route: string, token: string | undefined, body: unknown) {
  const res = await fetch(`${origin}${route}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST ${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function load(url: string, token: string | undefined) {
  const result = await autocannon({
    url,
    connections: 10,
    duration: SECONDS,
    ...(token !== undefined && { headers: { authorization: `Bearer ${token}` } }),
  });
  if (
    result.non2xx > 0 ||
    result.errors > 0 ||
    result.timeouts > 0 ||
    result.requests.total === 0
  ) {
    throw new Error(
      `${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requests.total}`,
    );
  }
  return { rps: result.requests.average, p99: result.latency.p99 };
}

export const http: BenchSection = {
  id: "http",
  title: `API over HTTP: next start, autocannon 10 connections, ${ROUNDS} interleaved rounds of ${SECONDS} s`,
  inProcess: false,
  async run(_ctx, report: SectionReport) {
    if (buildDir() === undefined) throw new NotRun("no build in .next: run `npx next build` first");
    const onPostgres = process.env.BENCH_DB === "postgres";
    const pg = onPostgres ? await throwawayPostgres() : undefined;
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    let output = "";
    const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
    const child = spawn(
      process.execPath,
      [nextBin, "start", "--hostname", "127.0.0.1", "--port", String(port)],
      {
        env: {
          ...process.env,
          NODE_ENV: "production",
          DATA_DIR: tempDir("http"),
          DATABASE_URL: pg?.url ?? "",
          APP_URL: origin,
          PORT: String(port),
          TOOLGATE_TEST_DB: "",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    try {
      await waitHealthy(origin, child, () => output);
      const setup = await post(origin, "/api/setup", undefined, {
        email: "bench@example.com",
        name: "Bench",
        password: "bench-password-123",
      });
      const token = setup.token as string;
      for (let i = 0; i < CONFIGS; i++) {
        await post(origin, "/api/mcp/servers", token, {
          display_name: `Server ${String(i).padStart(3, "0")}`,
          slug: `server${i}`,
          url: `http://127.0.0.1:9/mcp${i}`,
          enabled: true,
          description: "A configured server for the bench.",
        });
      }
      for (let i = 0; i < CHATS; i++) await post(origin, "/api/chats", token, {});

      const routes: Record<string, string | undefined> = {
        "GET /api/health": undefined,
        [`GET /api/mcp/servers (${CONFIGS} configs)`]: token,
        "GET /api/users (1 user), admin": token,
        [`GET /api/chats (${CHATS} chats)`]: token,
      };
      const paths: Record<string, string> = {
        "GET /api/health": "/api/health",
        [`GET /api/mcp/servers (${CONFIGS} configs)`]: "/api/mcp/servers",
        "GET /api/users (1 user), admin": "/api/users",
        [`GET /api/chats (${CHATS} chats)`]: "/api/chats",
      };
      const names = Object.keys(routes);
      for (const name of names) await load(`${origin}${paths[name]}`, routes[name]); // warm-up
      const runs = Object.fromEntries(names.map((n) => [n, [] as { rps: number; p99: number }[]]));
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? names : [...names].reverse();
        for (const name of order)
          runs[name]!.push(await load(`${origin}${paths[name]}`, routes[name]));
      }
      const rpsOf = (name: string) => median(runs[name]!.map((r) => r.rps));
      const p99Of = (name: string) => median(runs[name]!.map((r) => r.p99));
      const health = rpsOf("GET /api/health");
      report.figure({
        label: "GET /api/health (baseline)",
        value: `${perSec(health)} p99 ${ms(p99Of("GET /api/health"))}`,
      });
      for (const name of names.slice(1)) {
        const r = rpsOf(name) / health;
        report.figure({
          label: `${name}: req/s`,
          value: `${perSec(rpsOf(name))} ${ratio(r)}`,
          goal: { text: ">= 0.7x health", met: r >= 0.7 },
        });
        const p99 = p99Of(name);
        report.figure({
          label: `${name}: p99`,
          value: ms(p99),
          ...(onPostgres && { goal: { text: "< 50 ms on Postgres", met: p99 < 50 } }),
        });
      }
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await pg?.drop();
    }
  },
};
