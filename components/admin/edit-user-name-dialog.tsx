"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
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
import { updateUserMutation } from "@/lib/client/queries";
import type { User } from "@/lib/client/types";
import { displayNameSchema } from "@/lib/schemas/users";

/** Renames a user (the same name check as the API: trimmed, 1-100 characters, no controls). */
export function EditUserNameDialog({ user, children }: { user: User; children: ReactElement }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const update = useMutation(updateUserMutation(qc));

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setError(undefined);
      update.reset();
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = displayNameSchema.safeParse(String(form.get("name") ?? ""));
    if (!parsed.success) {
      setError(`Name ${parsed.error.issues[0]?.message ?? "is invalid"}`);
      return;
    }
    setError(undefined);
    if (parsed.data === user.name) {
      onOpenChange(false);
      return;
    }
    update.mutate(
      { id: user.id, name: parsed.data },
      {
        onSuccess: (saved) => {
          toast.success(`Renamed to ${saved.name}`);
          onOpenChange(false);
        },
        onError: (err) => {
          const field = err instanceof ApiRequestError ? err.validations[0] : undefined;
          if (field) setError(`Name ${field.detail}`);
        },
      },
    );
  }

  const showFormError =
    update.isError &&
    !(update.error instanceof ApiRequestError && update.error.validations.length > 0);

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{children}</DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Rename {user.name}</DialogTitle>
            <DialogDescription>
              The name shows in menus, lists and the audit log. {user.email} stays signed in.
            </DialogDescription>
          </DialogHeader>
          {showFormError ? (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{errorMessage(update.error)}</AlertDescription>
            </Alert>
          ) : null}
          <FormField label="Name" description="Up to 100 characters." error={error}>
            <Input
              name="name"
              defaultValue={user.name}
              autoComplete="off"
              maxLength={100}
              required
              autoFocus
            />
          </FormField>
          <DialogFooter>
            <Button type="submit" disabled={update.isPending} aria-busy={update.isPending}>
              {update.isPending ? <ButtonSpinner /> : null}
              Save name
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
