import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { LoginForm } from "@/components/auth/login-form";
import { getPageCaller } from "@/lib/auth/page";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { isSetupDone } from "@/lib/auth/users";
import { getEnv } from "@/lib/env";
import { getDb } from "@/lib/server/database";

export const metadata: Metadata = { title: "Sign in" };

// Messages for errors Auth.js or our sign-in callback put in the URL. Unknown codes get a
// generic sentence: the URL is attacker-controlled and must not become page text.
const ERRORS: Record<string, string> = {
  oidc_disabled: "This account is disabled. Ask an administrator.",
  oidc_no_email: "The identity provider did not share an email address.",
  oidc_email_unverified:
    "An account with this email exists, but the identity provider has not verified the email.",
  oidc_profile: "The identity provider sent an incomplete profile.",
  AccessDenied: "Sign-in was refused.",
  Configuration: "Sign-in with the identity provider is misconfigured. Ask an administrator.",
};

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; callbackUrl?: string }>;
}) {
  // Rendered per request: whether setup is done is a runtime fact, not a build-time one.
  await connection();
  if (!(await isSetupDone(await getDb()))) redirect("/setup");
  if (await getPageCaller()) redirect("/");
  const { error, callbackUrl } = await searchParams;
  const env = getEnv();
  // Parsed against APP_URL, as the browser will: `/\host` or `/%09/host` stay here.
  const next = safeRedirectPath(callbackUrl, env.appUrl);
  return (
    <LoginForm
      oidcName={env.oidcEnabled ? env.OIDC_NAME : null}
      initialError={error ? (ERRORS[error] ?? "Sign-in failed. Try again.") : null}
      next={next}
    />
  );
}
