import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/lib/server/database";
import { isSetupDone } from "./users";
import { loginPathFor, REQUESTED_PATH_HEADER } from "./requested-path";
import { sessionUser, toCaller, type Caller } from "./caller";

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
  const found = await sessionUser(await getDb(), header || null);
  if (!found || found.user.disabled) return null;
  return toCaller(found.user, "session", found.sessionId);
});

/**
 * For pages behind sign-in: sends visitors to setup (fresh install) or to the login page,
 * which returns them to the page they asked for once they are signed in.
 */
export async function requirePageCaller(): Promise<Caller> {
  const caller = await getPageCaller();
  if (caller) return caller;
  if (!(await isSetupDone(await getDb()))) redirect("/setup");
  redirect(loginPathFor((await headers()).get(REQUESTED_PATH_HEADER)));
}
