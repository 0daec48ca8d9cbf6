"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactElement } from "react";
import { toast } from "@/components/ui/toast";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { ButtonSpinner } from "@/components/ui/spinner";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { resetPasswordMutation } from "@/lib/client/queries";
import type { User } from "@/lib/client/types";
import { resetPasswordBody } from "@/lib/schemas/users";

export function ResetPasswordDialog({ user, children }: { user: User; children: ReactElement }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const reset = useMutation(resetPasswordMutation());

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setError(undefined);
      reset.reset();
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = resetPasswordBody.safeParse({ password: String(form.get("password") ?? "") });
    if (!parsed.success) {
      setError(`New password ${parsed.error.issues[0]?.message ?? "is invalid"}`);
      return;
    }
    setError(undefined);
    reset.mutate(
      { id: user.id, ...parsed.data },
      {
        onSuccess: () => {
          toast.success(`New password set for ${user.email}; their sessions are signed out`);
          onOpenChange(false);
        },
        onError: (err) => {
          const field = err instanceof ApiRequestError ? err.validations[0] : undefined;
          if (field) setError(`New password ${field.detail}`);
        },
      },
    );
  }

  const showFormError =
    reset.isError &&
    !(reset.error instanceof ApiRequestError && reset.error.validations.length > 0);

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{children}</DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Reset password of {user.name}</DialogTitle>
            <DialogDescription>
              {user.email} is signed out everywhere and signs in with the new password. Tell them
              the password over a channel you trust. Their API tokens keep working.
            </DialogDescription>
          </DialogHeader>
          {showFormError ? (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{errorMessage(reset.error)}</AlertDescription>
            </Alert>
          ) : null}
          <FormField label="New password" description="At least 8 characters." error={error}>
            <Input name="password" type="password" autoComplete="new-password" required autoFocus />
          </FormField>
          <DialogFooter>
            <Button type="submit" disabled={reset.isPending} aria-busy={reset.isPending}>
              {reset.isPending ? <ButtonSpinner /> : null}
              Set password
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
