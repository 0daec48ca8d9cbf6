import "server-only";
import type { Database } from "@/db/client";
import { setMcpServerStatus, type McpServerRow } from "@/db/queries/mcp-servers";
import type { McpTestResult, McpToolPreview } from "@/lib/mcp-config/wire";
import { testMcpConnection } from "@/lib/mcp/client";
import { assignExposedNames } from "@/lib/mcp/tool-names";
import { decide, type TurnPolicy } from "@/lib/policy/tool-policy";
import { authHeadersFor } from "./credentials";
import { loadToolGovernance } from "@/db/queries/mcp-tools";
import { recordListing } from "./catalogue-sync";
import { serverPolicyOf } from "./policy-view";

/**
 * Connects to a saved config now, with the calling admin's credentials, and previews each
 * tool through the real policy: as the model would name it, and whether a normal and a root
 * plan-mode turn would admit it. The preview treats the server as enabled and selected, so
 * it shows what the tool lists and plan-mode settings decide.
 */
export async function testServerConnection(
  db: Database,
  row: McpServerRow,
  userId: string,
): Promise<McpTestResult> {
  const started = Date.now();
  const auth = await authHeadersFor(db, row, userId);
  if (!auth.ok) {
    await setMcpServerStatus(db, row.id, { state: "error", detail: auth.message });
    return {
      ok: false,
      latency_ms: 0,
      tools: [],
      error: { code: auth.code, message: auth.message },
    };
  }
  const result = await testMcpConnection({
    url: row.url,
    transport: row.transport,
    headers: auth.headers,
  });
  if (!result.ok) {
    await setMcpServerStatus(db, row.id, { state: "error", detail: result.error.message });
    return { ok: false, latency_ms: result.latencyMs, tools: [], error: result.error };
  }
  await setMcpServerStatus(db, row.id, { state: "ok", detail: null });

  // The admin listed on purpose: the catalogue follows this listing, removals included.
  const known = (await loadToolGovernance(db, [row.id])).get(row.id);
  const catalogue = await recordListing(db, row, result.tools, known, {
    userId,
    admin: true,
    truncated: result.toolsTruncated,
  });
  const server = { ...serverPolicyOf(row, catalogue), enabled: true };
  const selected = new Set([row.id]);
  const normal: TurnPolicy = { planMode: false, agent: "root", selectedServerIds: selected };
  const plan: TurnPolicy = { planMode: true, agent: "root", selectedServerIds: selected };
  const names = assignExposedNames(
    result.tools.map((t) => ({ key: t.name, prefix: row.slug, name: t.name })),
  );
  const tools: McpToolPreview[] = result.tools.map((tool) => {
    const candidate = { source: "mcp" as const, name: tool.name, server };
    const inNormal = decide(candidate, normal);
    const inPlan = decide(candidate, plan);
    return {
      name: tool.name,
      exposed_name: names.get(tool.name) ?? tool.name,
      description: tool.description ?? "",
      annotations: tool.annotations ?? {},
      allowed: inNormal.available,
      plan_mode_allowed: inPlan.available,
      reason: !inNormal.available ? inNormal.reason : inPlan.reason,
    };
  });
  tools.sort((a, b) =>
    a.exposed_name < b.exposed_name ? -1 : a.exposed_name > b.exposed_name ? 1 : 0,
  );
  return { ok: true, latency_ms: Date.now() - started, tools };
}
