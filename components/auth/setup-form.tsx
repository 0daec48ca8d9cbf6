"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { ButtonSpinner } from "@/components/ui/spinner";
import { apiFetch, ApiRequestError, errorMessage } from "@/lib/client/api";
import { setupBody } from "@/lib/schemas/users";
import { SetupTokenCard } from "./setup-token-card";

type Field = "name" | "email" | "password";

export function SetupForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Once setup succeeded: the token it created, shown once, and whether sign-in worked.
  const [done, setDone] = useState<{ token: string; signedIn: boolean } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    // Same schema as the route: the form shows the errors the server would give.
    const parsed = setupBody.safeParse(input);
    if (!parsed.success) {
      const next: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as Field;
        next[field] ??= issue.message === "Invalid input" ? "is required" : issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    setFormError(null);
    setPending(true);
    try {
      const created = await apiFetch<{ token: string }>("/api/setup", { body: parsed.data });
      const result = await signIn("credentials", {
        email: parsed.data.email,
        password: parsed.data.password,
        redirect: false,
      }).catch(() => undefined);
      setDone({ token: created.token, signedIn: Boolean(result && !result.error) });
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === "setup.already_done") {
        router.replace("/login");
        return;
      }
      if (err instanceof ApiRequestError && err.validations.length > 0) {
        setErrors(Object.fromEntries(err.validations.map((v) => [v.field, v.detail])));
      } else {
        setFormError(errorMessage(err));
      }
    } finally {
      setPending(false);
    }
  }

  if (done) {
    return (
      <SetupTokenCard
        token={done.token}
        signedIn={done.signedIn}
        onContinue={() => {
          router.replace(done.signedIn ? "/" : "/login");
          router.refresh();
        }}
      />
    );
  }

  const fieldError = (field: Field) =>
    errors[field] ? `${capitalise(field)} ${errors[field]}` : undefined;

  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h1 className="text-xl">Create the first admin</h1>
        </CardTitle>
        <CardDescription>
          This account manages users, MCP servers and model providers. Setup closes once it exists.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form className="flex flex-col gap-4" onSubmit={onSubmit} noValidate>
          {formError ? (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          ) : null}
          <FormField label="Name" error={fieldError("name")}>
            <Input name="name" autoComplete="name" required autoFocus />
          </FormField>
          <FormField label="Email" error={fieldError("email")}>
            <Input name="email" type="email" autoComplete="username" required />
          </FormField>
          <FormField
            label="Password"
            description="At least 8 characters."
            error={fieldError("password")}
          >
            <Input name="password" type="password" autoComplete="new-password" required />
          </FormField>
          <Button type="submit" disabled={pending} aria-busy={pending}>
            {pending ? <ButtonSpinner /> : null}
            Create admin
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
