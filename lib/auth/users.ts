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
import { deleteUserSessions } from "@/db/queries/sessions";
import { ApiError, Errors } from "@/lib/errors";
import type {
  ChangePasswordInput,
  CreateUserInput,
  ResetPasswordInput,
  SetupInput,
  UpdateUserInput,
} from "@/lib/schemas/users";
import { generateApiToken } from "./api-token";
import type { Caller } from "./caller";
import { verifyCredentials } from "./credentials";
import { hashPassword } from "./password";
import type { User } from "./wire";

export function userJson(u: UserRow): User {
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
    const patch: Partial<Pick<UserRow, "name" | "role" | "disabled">> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.role !== undefined) patch.role = input.role;
    if (input.disabled !== undefined) patch.disabled = input.disabled;
    const updated = await updateUser(tx, id, patch);
    const changed = Object.keys(patch).filter(
      (k) => patch[k as keyof typeof patch] !== current[k as keyof typeof patch],
    );
    // A new role or a disable ends the user's sessions at once: the next request of every
    // browser signs in again and sees what the new role allows (API tokens follow the row).
    const endsSessions = changed.includes("role") || patch.disabled === true;
    const sessionsEnded = endsSessions ? await deleteUserSessions(tx, id) : 0;
    await recordAudit(tx, {
      actorId: actor.id,
      action: "user.update",
      targetType: "user",
      targetId: id,
      detail: {
        changed,
        ...(patch.role ? { role: patch.role } : {}),
        sessions_ended: sessionsEnded,
      },
    });
    return updated!;
  });
}

const wrongCurrentPassword = () =>
  new ApiError(400, "validation.invalid", "current_password is incorrect.", [
    { field: "current_password", detail: "is incorrect" },
  ]);

/**
 * A user changes their own password, proving the current one (throttled like a sign-in, so a
 * borrowed session cannot guess it). Every other session of the user ends; the one making the
 * change stays signed in. API tokens are separate credentials and are kept.
 */
export async function changeOwnPassword(
  db: Database,
  caller: Caller,
  input: ChangePasswordInput,
  source: string,
): Promise<void> {
  const check = await verifyCredentials(db, caller.email, input.current_password, {
    via: "password_change",
    source,
  });
  if (!check.ok) {
    if (check.reason === "rate_limited") throw Errors.rateLimited();
    throw wrongCurrentPassword();
  }
  const passwordHash = await hashPassword(input.new_password);
  await db.transaction(async (tx) => {
    await updateUser(tx, caller.id, { passwordHash });
    const ended = await deleteUserSessions(tx, caller.id, caller.sessionId);
    await recordAudit(tx, {
      actorId: caller.id,
      action: "user.password_change",
      targetType: "user",
      targetId: caller.id,
      detail: { sessions_ended: ended },
    });
  });
}

/**
 * An admin sets a new password for a user (who forgot theirs, or whose account is suspect).
 * Every session of that user ends. An OIDC account gets a password too: it can then also
 * sign in with email and password.
 */
export async function resetPassword(
  db: Database,
  actor: Caller,
  id: string,
  input: ResetPasswordInput,
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const updated = await updateUser(tx, id, { passwordHash });
    if (!updated) throw Errors.notFound("user", "user");
    const ended = await deleteUserSessions(tx, id);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "user.password_reset",
      targetType: "user",
      targetId: id,
      detail: { sessions_ended: ended },
    });
  });
}

export { findUserByEmail, findUserById, listUsers };
