"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { ButtonSpinner } from "@/components/ui/spinner";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { changePasswordMutation } from "@/lib/client/queries";
import { changePasswordBody } from "@/lib/schemas/users";

type Field = "current_password" | "new_password" | "confirm";
const LABELS: Record<Field, string> = {
  current_password: "Current password",
  new_password: "New password",
  confirm: "Repeat the new password",
};

export function PasswordCard() {
  const change = useMutation(changePasswordMutation());
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const input = {
      current_password: String(form.get("current_password") ?? ""),
      new_password: String(form.get("new_password") ?? ""),
    };
    const next: Partial<Record<Field, string>> = {};
    const parsed = changePasswordBody.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) next[issue.path[0] as Field] ??= issue.message;
    }
    if (String(form.get("confirm") ?? "") !== input.new_password) {
      next.confirm = "does not match the new password";
    }
    setErrors(next);
    if (!parsed.success || next.confirm) return;
    change.mutate(parsed.data, {
      onSuccess: () => {
        formElement.reset();
        toast.success("Password changed. Your other sessions are signed out.");
      },
      onError: (err) => {
        if (err instanceof ApiRequestError && err.validations.length > 0) {
          setErrors(Object.fromEntries(err.validations.map((v) => [v.field, v.detail])));
        }
      },
    });
  }

  const fieldError = (f: Field) => (errors[f] ? `${LABELS[f]} ${errors[f]}` : undefined);
  const showFormError =
    change.isError &&
    !(change.error instanceof ApiRequestError && change.error.validations.length > 0);

  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Password</h2>
        </CardTitle>
        <CardDescription>
          Changing it signs out your other browsers. API tokens keep working.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form className="flex max-w-sm flex-col gap-4" onSubmit={onSubmit} noValidate>
          {showFormError ? (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{errorMessage(change.error)}</AlertDescription>
            </Alert>
          ) : null}
          <FormField label={LABELS.current_password} error={fieldError("current_password")}>
            <Input
              name="current_password"
              type="password"
              autoComplete="current-password"
              required
            />
          </FormField>
          <FormField
            label={LABELS.new_password}
            description="At least 8 characters."
            error={fieldError("new_password")}
          >
            <Input name="new_password" type="password" autoComplete="new-password" required />
          </FormField>
          <FormField label={LABELS.confirm} error={fieldError("confirm")}>
            <Input name="confirm" type="password" autoComplete="new-password" required />
          </FormField>
          <div>
            <Button type="submit" disabled={change.isPending} aria-busy={change.isPending}>
              {change.isPending ? <ButtonSpinner /> : null}
              Change password
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
