// In-process route handlers (no HTTP): context for the HTTP section's figures.
import { GET as me } from "@/app/api/users/me/route";
import { GET as listUsers } from "@/app/api/users/route";
import { GET as health } from "@/app/api/health/route";
import { openSecret, sealSecret } from "@/lib/crypto/secrets";
import { call, sessionCookie } from "@/lib/testing/http";
import type { BenchContext } from "../context";
import { throughput } from "../measure";
import { perSec, ratio, type SectionReport } from "../report";
import type { BenchSection } from "../section";

export const apiInProcess: BenchSection = {
  id: "api",
  title: "Route handlers in process (ops/s; ratio to a bare handler returning JSON)",
  inProcess: true,
  async run(ctx: BenchContext, report: SectionReport) {
    const cookie = await sessionCookie(ctx.admin.user.id);
    const sealed = sealSecret("x".repeat(256), "bench.col:1");
    const base = await throughput(() => call(async () => Response.json({ ok: true })));
    report.figure({ label: "baseline: bare handler", value: perSec(base) });
    for (const [label, fn] of [
      ["GET /api/health (SELECT 1)", () => call(health)],
      ["GET /api/users/me, Bearer token", () => call(me, { token: ctx.admin.token })],
      ["GET /api/users/me, session cookie", () => call(me, { cookie })],
      ["GET /api/users (52 users), admin", () => call(listUsers, { token: ctx.admin.token })],
      ["open a sealed 256-byte secret", async () => openSecret(sealed, "bench.col:1")],
    ] as const) {
      const ops = await throughput(fn);
      report.figure({ label, value: `${perSec(ops)} ${ratio(ops / base)}` });
    }
  },
};
