import type { Database } from "@/db/client";
import type { UserRole } from "@/db/schema";
import { insertUser } from "@/db/queries/users";
import { hashPassword } from "@/lib/auth/password";
import { createApiToken } from "@/lib/auth/tokens";

let counter = 0;

/** Inserts a user with a password and returns it with an API token. */
export async function seedUser(
  db: Database,
  options: { role?: UserRole; email?: string; password?: string; name?: string } = {},
) {
  counter += 1;
  const password = options.password ?? "password-123";
  const user = await insertUser(db, {
    email: options.email ?? `user${counter}-${Date.now()}@example.com`,
    name: options.name ?? `User ${counter}`,
    passwordHash: await hashPassword(password),
    role: options.role ?? "member",
    loginType: "password",
  });
  const { token } = await createApiToken(db, user.id, "test");
  return { user, token, password };
}
