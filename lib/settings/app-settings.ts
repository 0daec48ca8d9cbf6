import "server-only";
import type { Database, Executor } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { readSettings, writeSetting } from "@/db/queries/settings";
import type { Caller } from "@/lib/auth/caller";
import type { AppSettings } from "@/lib/schemas/settings";

const PLAN_MODE_INSTRUCTIONS = "plan_mode_instructions";

export async function getAppSettings(db: Executor): Promise<AppSettings> {
  const values = await readSettings(db, [PLAN_MODE_INSTRUCTIONS]);
  const plan = values.get(PLAN_MODE_INSTRUCTIONS);
  return { plan_mode_instructions: typeof plan === "string" ? plan : "" };
}

/** Replaces the settings; the audit row says what changed, not the text itself. */
export async function putAppSettings(
  db: Database,
  actor: Caller,
  input: AppSettings,
): Promise<AppSettings> {
  const text = input.plan_mode_instructions.trim();
  await db.transaction(async (tx) => {
    await writeSetting(tx, PLAN_MODE_INSTRUCTIONS, text, actor.id);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "app_settings.update",
      targetType: "app_settings",
      targetId: PLAN_MODE_INSTRUCTIONS,
      detail: { plan_mode_instructions_length: text.length },
    });
  });
  return { plan_mode_instructions: text };
}

/** The admin's extra plan-mode instructions, added to every plan-mode system prompt. */
export async function planModeInstructions(db: Executor): Promise<string> {
  return (await getAppSettings(db)).plan_mode_instructions;
}
