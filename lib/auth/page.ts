import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { findUserById } from "@/db/queries/users";
import { getDb } from "@/lib/server/database";
import { isSetupDone } from "./users";
import { sessionUserId } from "./caller";
import type { Caller } from "./caller";

/**
 * The signed-in user for a page render, read fresh from the database (role and disabled
 * state apply at once). Cached per request.
 */
export const getPageCaller = cache(async (): Promise<Caller | null> => {
  const jar = await cookies();
  const header = jar
    .getAll()
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  const uid = await sessionUserId(header || null);
  if (!uid) return null;
  const user = await findUserById(await getDb(), uid);
  if (!user || user.disabled) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    loginType: user.loginType,
    via: "session",
  };
});

/** For pages behind sign-in: sends visitors to setup (fresh install) or to the login page. */
export async function requirePageCaller(): Promise<Caller> {
  const caller = await getPageCaller();
  if (caller) return caller;
  if (!(await isSetupDone(await getDb()))) redirect("/setup");
  redirect("/login");
}
