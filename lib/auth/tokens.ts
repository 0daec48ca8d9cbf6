import "server-only";
import type { Database } from "@/db/client";
import {
  deleteApiToken,
  insertApiToken,
  listApiTokens,
  type ApiTokenRow,
} from "@/db/queries/api-tokens";
import { recordAudit } from "@/db/queries/audit";
import { generateApiToken } from "./api-token";
import type { ApiToken } from "./wire";

export function apiTokenJson(t: ApiTokenRow): ApiToken {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    created_at: t.createdAt.toISOString(),
    last_used_at: t.lastUsedAt?.toISOString() ?? null,
  };
}

/** Creates a token; the plain value is returned once and only its hash is stored. */
export async function createApiToken(db: Database, userId: string, name: string) {
  const token = generateApiToken();
  const row = await db.transaction(async (tx) => {
    const created = await insertApiToken(tx, {
      userId,
      name,
      tokenHash: token.hash,
      prefix: token.prefix,
    });
    await recordAudit(tx, {
      actorId: userId,
      action: "api_token.create",
      targetType: "api_token",
      targetId: created.id,
      detail: { name },
    });
    return created;
  });
  return { row, token: token.token };
}

export async function revokeApiToken(db: Database, userId: string, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const deleted = await deleteApiToken(tx, userId, id);
    if (deleted) {
      await recordAudit(tx, {
        actorId: userId,
        action: "api_token.revoke",
        targetType: "api_token",
        targetId: id,
      });
    }
    return deleted;
  });
}

export function listTokens(db: Database, userId: string) {
  return listApiTokens(db, userId);
}
