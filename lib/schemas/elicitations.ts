import { z } from "zod";

export const elicitationParams = z.object({ id: z.guid(), elicitation_id: z.guid() });

export const answerElicitationBody = z.strictObject({
  action: z.enum(["accept", "decline", "cancel"]),
  // The form's values; checked against the requested schema by the service.
  content: z.record(z.string(), z.unknown()).optional(),
});
