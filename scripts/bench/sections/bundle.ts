// The first-load JS of a page, gzip, from the build's own output: the root main files of
// .next/build-manifest.json plus the chunks of every client component the page's server tree
// references (its client reference manifest under .next/server/app), each file gzipped here.
// Routes prefetched by links load after the page is interactive and are not counted.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { kb, NotRun, type SectionReport } from "../report";
import type { BenchSection } from "../section";
import { buildDir } from "./http";

/** Pages with a budget, and (budgetKb undefined) pages reported for reference. */
const BUDGETS: { route: string; manifest: string; budgetKb?: number }[] = [
  {
    route: "/admin/mcp-servers",
    manifest: "server/app/(app)/admin/mcp-servers/page_client-reference-manifest.js",
    budgetKb: 180,
  },
  {
    route: "/chat",
    manifest: "server/app/(app)/chat/page_client-reference-manifest.js",
    budgetKb: 250,
  },
  {
    // A conversation: the AI SDK's chat client and the message renderers load with it.
    route: "/chat/[id]",
    manifest: "server/app/(app)/chat/[id]/page_client-reference-manifest.js",
  },
];

interface ClientManifest {
  clientModules?: Record<string, { chunks?: string[] }>;
}

/** Every chunk of the client components the page can render, as paths under .next. */
function clientChunks(dir: string, manifest: string): string[] {
  const file = path.join(dir, manifest);
  if (!fs.existsSync(file)) throw new Error(`the build has no ${manifest}`);
  const sandbox: Record<string, unknown> = {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(fs.readFileSync(file, "utf8"), sandbox);
  const pages = (sandbox.__RSC_MANIFEST ?? {}) as Record<string, ClientManifest>;
  const modules = Object.values(pages)[0]?.clientModules ?? {};
  const chunks = Object.values(modules).flatMap((m) => m.chunks ?? []);
  if (chunks.length === 0) throw new Error(`${manifest} lists no client chunks`);
  return chunks.map((chunk) => chunk.replace(/^\/_next\//, ""));
}

export const bundle: BenchSection = {
  id: "bundle",
  title: "First-load JS per page, gzip (from the build in .next)",
  inProcess: false,
  async run(_ctx, report: SectionReport) {
    const dir = buildDir();
    if (dir === undefined) throw new NotRun("no build in .next: run `npx next build` first");
    const build = JSON.parse(fs.readFileSync(path.join(dir, "build-manifest.json"), "utf8")) as {
      rootMainFiles?: string[];
    };
    const root = build.rootMainFiles ?? [];
    if (root.length === 0) throw new Error("build-manifest.json lists no rootMainFiles");
    const gzipSize = new Map<string, number>();
    const sizeOf = (file: string) => {
      let size = gzipSize.get(file);
      if (size === undefined) {
        size = zlib.gzipSync(fs.readFileSync(path.join(dir, file))).length;
        gzipSize.set(file, size);
      }
      return size;
    };
    for (const page of BUDGETS) {
      const files = new Set([...root, ...clientChunks(dir, page.manifest)]);
      const total = [...files].reduce((sum, file) => sum + sizeOf(file), 0);
      report.figure({
        label: `${page.route} (${files.size} scripts)`,
        value: kb(total),
        ...(page.budgetKb !== undefined && {
          goal: { text: `<= ${page.budgetKb} KB`, met: total <= page.budgetKb * 1024 },
        }),
      });
    }
  },
};
