import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { isUniqueViolation } from "@/db/queries/errors";
import {
  countUsers,
  findUserByEmail,
  findUserById,
  insertUser,
  listUsers,
  lockActiveAdminIds,
  updateUser,
  type UserRow,
} from "@/db/queries/users";
import { insertApiToken } from "@/db/queries/api-tokens";
import { ApiError, Errors } from "@/lib/api/errors";
import type { CreateUserInput, SetupInput, UpdateUserInput } from "@/lib/schemas/users";
import { generateApiToken } from "./api-token";
import type { Caller } from "./caller";
import { hashPassword } from "./password";

export interface UserJson {
  id: string;
  email: string;
  name: string;
  role: UserRow["role"];
  login_type: UserRow["loginType"];
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export function userJson(u: UserRow): UserJson {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    login_type: u.loginType,
    disabled: u.disabled,
    created_at: u.createdAt.toISOString(),
    updated_at: u.updatedAt.toISOString(),
  };
}

const SETUP_LOCK_KEY = 7_314_002_202;

const emailTaken = () =>
  new ApiError(409, "user.email_conflict", "A user with this email already exists.", [
    { field: "email", detail: "is already in use" },
  ]);

export async function isSetupDone(db: Database): Promise<boolean> {
  return (await countUsers(db)) > 0;
}

/** Creates the first admin and an API token for it; refused once any user exists. */
export async function completeSetup(db: Database, input: SetupInput) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // Two setups racing on an empty database: the lock makes the count-then-insert atomic.
    await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK_KEY})`);
    if ((await countUsers(tx)) > 0) {
      throw new ApiError(409, "setup.already_done", "Setup is already complete. Sign in instead.");
    }
    const user = await insertUser(tx, {
      email: input.email,
      name: input.name,
      passwordHash,
      role: "admin",
      loginType: "password",
    });
    const token = generateApiToken();
    await insertApiToken(tx, {
      userId: user.id,
      name: "setup",
      tokenHash: token.hash,
      prefix: token.prefix,
    });
    await recordAudit(tx, {
      actorId: user.id,
      action: "setup.complete",
      targetType: "user",
      targetId: user.id,
    });
    return { user, token: token.token };
  });
}

export async function createUser(db: Database, actor: Caller, input: CreateUserInput) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const user = await insertUser(tx, {
        email: input.email,
        name: input.name,
        passwordHash,
        role: input.role ?? "member",
        loginType: "password",
      });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "user.create",
        targetType: "user",
        targetId: user.id,
        detail: { role: user.role },
      });
      return user;
    });
  } catch (err) {
    if (isUniqueViolation(err, "users_email_key")) throw emailTaken();
    throw err;
  }
}

export async function changeUser(db: Database, actor: Caller, id: string, input: UpdateUserInput) {
  return db.transaction(async (tx) => {
    const admins = await lockActiveAdminIds(tx);
    const current = await findUserById(tx, id);
    if (!current) throw Errors.notFound("user", "user");
    const losesAdmin =
      current.role === "admin" &&
      !current.disabled &&
      (input.role === "member" || input.disabled === true);
    if (losesAdmin && admins.length <= 1) {
      throw new ApiError(
        409,
        "user.last_admin",
        "This is the last active admin: promote another user first.",
      );
    }
    const patch: Partial<Pick<UserRow, "role" | "disabled">> = {};
    if (input.role !== undefined) patch.role = input.role;
    if (input.disabled !== undefined) patch.disabled = input.disabled;
    const updated = await updateUser(tx, id, patch);
    const changed = Object.keys(patch).filter(
      (k) => patch[k as keyof typeof patch] !== current[k as keyof typeof patch],
    );
    await recordAudit(tx, {
      actorId: actor.id,
      action: "user.update",
      targetType: "user",
      targetId: id,
      detail: { changed, ...(patch.role ? { role: patch.role } : {}) },
    });
    return updated!;
  });
}

export { findUserByEmail, findUserById, listUsers };
