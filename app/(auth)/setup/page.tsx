import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SetupForm } from "@/components/auth/setup-form";
import { isSetupDone } from "@/lib/auth/users";
import { getDb } from "@/lib/server/database";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  // Rendered per request: whether setup is done is a runtime fact, not a build-time one.
  await connection();
  if (await isSetupDone(await getDb())) redirect("/login");
  return <SetupForm />;
}
