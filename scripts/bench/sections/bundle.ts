// The first-load JS of a page, gzip, from the build's own output: the root main files of
// .next/build-manifest.json plus the page's entry chunks (its layouts and page) from its client
// reference manifest under .next/server/app, each file gzipped here. Prefetched routes are not
// counted: they load after the page is interactive.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { kb, NotRun, type SectionReport } from "../report";
import type { BenchSection } from "../section";
import { buildDir } from "./http";

const BUDGETS: { route: string; manifest: string; entry: string; budgetKb: number }[] = [
  {
    route: "/admin/mcp-servers",
    manifest: "server/app/(app)/admin/mcp-servers/page_client-reference-manifest.js",
    entry: "[project]/app/(app)/admin/mcp-servers/page",
    budgetKb: 180,
  },
  {
    route: "/chat",
    manifest: "server/app/(app)/chat/page_client-reference-manifest.js",
    entry: "[project]/app/(app)/chat/page",
    budgetKb: 250,
  },
];

function entryFiles(dir: string, manifest: string, entry: string): string[] {
  const file = path.join(dir, manifest);
  if (!fs.existsSync(file)) throw new Error(`the build has no ${manifest}`);
  const sandbox: Record<string, unknown> = {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(fs.readFileSync(file, "utf8"), sandbox);
  const pages = sandbox.__RSC_MANIFEST as Record<
    string,
    { entryJSFiles?: Record<string, string[]> }
  >;
  const entries = Object.values(pages)[0]?.entryJSFiles ?? {};
  // The page's entry lists its layouts' chunks too; the layouts are added in case it does not.
  const segments = entry.replace(/\/page$/, "").split("/");
  const wanted = [entry];
  for (let i = 1; i <= segments.length; i++)
    wanted.push(`${segments.slice(0, i).join("/")}/layout`);
  const files = wanted.flatMap((key) => entries[key] ?? []);
  if ((entries[entry] ?? []).length === 0) throw new Error(`${manifest} has no entry ${entry}`);
  return files;
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
      const files = new Set([...root, ...entryFiles(dir, page.manifest, page.entry)]);
      const total = [...files].reduce((sum, file) => sum + sizeOf(file), 0);
      report.figure({
        label: `${page.route} (${files.size} scripts)`,
        value: kb(total),
        goal: { text: `<= ${page.budgetKb} KB`, met: total <= page.budgetKb * 1024 },
      });
    }
  },
};
