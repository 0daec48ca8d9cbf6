import { z } from "zod";

export const PLAN_MODE_INSTRUCTIONS_MAX = 8000;

/** PUT /api/admin/settings, shared by the route and the admin form. */
export const appSettingsBody = z.strictObject({
  plan_mode_instructions: z
    .string()
    .max(PLAN_MODE_INSTRUCTIONS_MAX, `must be at most ${PLAN_MODE_INSTRUCTIONS_MAX} characters`),
});

export type AppSettings = z.output<typeof appSettingsBody>;
