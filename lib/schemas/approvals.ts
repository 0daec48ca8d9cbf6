import { z } from "zod";

export const approvalParams = z.object({ id: z.guid(), approval_id: z.guid() });
export const grantParams = z.object({ id: z.guid(), grant_id: z.guid() });

export const answerApprovalBody = z.strictObject({
  decision: z.enum(["approve", "deny"]),
  // Edited arguments; checked against the tool's own input schema by the service.
  input: z.record(z.string(), z.unknown()).optional(),
  remember: z.enum(["once", "chat_1h"]).optional(),
});

export const listGrantsQuery = z.strictObject({
  include_inactive: z.enum(["true", "false"]).default("false"),
});

const decisions = ["allowed", "denied", "approved", "declined", "expired"] as const;
const outcomes = ["ok", "error", "timeout", "not_run"] as const;

export const toolAuditFilterQuery = {
  user_id: z.guid().optional(),
  server_id: z.guid().optional(),
  tool: z.string().trim().min(1).max(300).optional(),
  decision: z.enum(decisions).optional(),
  outcome: z.enum(outcomes).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};

export const listToolAuditQuery = z.strictObject({
  ...toolAuditFilterQuery,
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const exportToolAuditQuery = z.strictObject({
  ...toolAuditFilterQuery,
  format: z.enum(["jsonl", "csv"]).default("jsonl"),
});
