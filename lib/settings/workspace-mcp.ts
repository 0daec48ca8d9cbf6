import "server-only";
// The admin's rule for workspace `.mcp.json` servers, stored in app_settings. Read on every
// turn that has a workspace and again at every workspace tool call, so a change applies to the
// next call, not the next deployment.
import type { Database, Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { readSettings, writeSetting } from "@/db/queries/settings";
import type { Caller } from "@/lib/auth/caller";
import type { WorkspaceMcpRule } from "@/lib/policy/workspace-mcp-rule";
import {
  workspaceMcpSettingsBody,
  type WorkspaceMcpSettings,
} from "@/lib/schemas/workspace-mcp-settings";

const KEY = "workspace_mcp";

/**
 * Never set: "on", which is how toolgate behaved before the rule existed (workspace servers
 * run inside the workspace sandbox either way). A stored value that no longer parses counts as
 * "off": an unreadable rule must not open anything.
 */
const DEFAULT: WorkspaceMcpSettings = {
  mode: "on",
  allowed_commands: [],
  allowed_url_prefixes: [],
};
const UNREADABLE: WorkspaceMcpSettings = { ...DEFAULT, mode: "off" };

export async function getWorkspaceMcpSettings(db: Executor): Promise<WorkspaceMcpSettings> {
  const stored = (await readSettings(db, [KEY])).get(KEY);
  if (stored === undefined) return DEFAULT;
  const parsed = workspaceMcpSettingsBody.safeParse(stored);
  return parsed.success ? parsed.data : UNREADABLE;
}

export const ruleOf = (settings: WorkspaceMcpSettings): WorkspaceMcpRule => ({
  mode: settings.mode,
  commands: settings.allowed_commands,
  urlPrefixes: settings.allowed_url_prefixes,
});

export async function workspaceMcpRule(db: Executor): Promise<WorkspaceMcpRule> {
  return ruleOf(await getWorkspaceMcpSettings(db));
}

/** Replaces the rule; audited with the whole rule (it holds no secret). */
export async function putWorkspaceMcpSettings(
  db: Database,
  actor: Caller,
  input: WorkspaceMcpSettings,
): Promise<WorkspaceMcpSettings> {
  const dedupe = (list: string[]) => [...new Set(list)];
  const value: WorkspaceMcpSettings = {
    mode: input.mode,
    allowed_commands: dedupe(input.allowed_commands),
    allowed_url_prefixes: dedupe(input.allowed_url_prefixes),
  };
  await db.transaction(async (tx) => {
    await writeSetting(tx, KEY, value, actor.id);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "app_settings.workspace_mcp.update",
      targetType: "app_settings",
      targetId: KEY,
      detail: value,
    });
  });
  return value;
}
