import "server-only";
import { asc, count, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { users, type LoginType, type UserRole } from "../schema";

export type UserRow = typeof users.$inferSelect;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function countUsers(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)))
    .limit(1);
  return row;
}

export async function listUsers(db: Executor): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.email));
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string | null;
  role: UserRole;
  loginType: LoginType;
}

export async function insertUser(db: Executor, user: NewUser): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ ...user, email: normaliseEmail(user.email) })
    .returning();
  return row!;
}

export async function updateUser(
  db: Executor,
  id: string,
  patch: Partial<Pick<UserRow, "role" | "disabled" | "name" | "passwordHash">>,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning();
  return row;
}

/** Active admins, locked for the rest of the transaction so two demotions cannot race. */
export async function lockActiveAdminIds(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`${users.role} = 'admin' and not ${users.disabled}`)
    .for("update");
  return rows.map((r) => r.id);
}
