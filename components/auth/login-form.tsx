"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Separator } from "@/components/ui/separator";
import { ButtonSpinner } from "@/components/ui/spinner";

export function LoginForm({
  oidcName,
  initialError,
  next,
}: {
  oidcName: string | null;
  initialError: string | null;
  next: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState<"password" | "oidc" | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending("password");
    setError(null);
    try {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (!result || result.error) {
        setError(
          result?.code === "disabled"
            ? "This account is disabled. Ask an administrator."
            : result?.code === "rate_limited"
              ? "Too many failed sign-ins for this email. Try again in 15 minutes."
              : "Invalid email or password.",
        );
        return;
      }
      router.replace(next);
      router.refresh();
    } catch {
      setError("Cannot reach the server. Check your connection and try again.");
    } finally {
      setPending(null);
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h1 className="text-xl">Sign in</h1>
        </CardTitle>
        <CardDescription>Use your toolgate account.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {error ? (
          <Alert variant="destructive" role="alert">
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        ) : null}
        <form className="flex flex-col gap-4" onSubmit={onSubmit} noValidate>
          <FormField label="Email">
            <Input name="email" type="email" autoComplete="username" required autoFocus />
          </FormField>
          <FormField label="Password">
            <Input name="password" type="password" autoComplete="current-password" required />
          </FormField>
          <Button type="submit" disabled={pending !== null} aria-busy={pending === "password"}>
            {pending === "password" ? <ButtonSpinner /> : null}
            Sign in
          </Button>
        </form>
        {oidcName ? (
          <>
            <div className="flex items-center gap-3 text-xs text-muted-foreground">
              <Separator className="flex-1" />
              or
              <Separator className="flex-1" />
            </div>
            <Button
              variant="outline"
              disabled={pending !== null}
              onClick={() => {
                setPending("oidc");
                void signIn("oidc", { redirectTo: next });
              }}
            >
              {pending === "oidc" ? <ButtonSpinner /> : null}
              Sign in with OIDC
            </Button>
            <p className="text-center text-xs text-muted-foreground">Provider: {oidcName}</p>
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
