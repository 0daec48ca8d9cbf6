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
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { ButtonSpinner } from "@/components/ui/spinner";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { createUserMutation } from "@/lib/client/queries";
import type { UserRole } from "@/lib/client/types";
import { createUserBody } from "@/lib/schemas/users";

type Field = "name" | "email" | "password" | "role";
const LABELS: Record<Field, string> = {
  name: "Name",
  email: "Email",
  password: "Password",
  role: "Role",
};

export function CreateUserDialog({ children }: { children: ReactElement }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<UserRole>("member");
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const create = useMutation(createUserMutation(qc));

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setErrors({});
      setRole("member");
      create.reset();
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      role,
    };
    const parsed = createUserBody.safeParse(input);
    if (!parsed.success) {
      const next: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) next[issue.path[0] as Field] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    create.mutate(parsed.data, {
      onSuccess: (user) => {
        toast.success(`Created ${user.email}`);
        onOpenChange(false);
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
    create.isError &&
    !(create.error instanceof ApiRequestError && create.error.validations.length > 0);

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{children}</DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Add user</DialogTitle>
            <DialogDescription>They sign in with this email and password.</DialogDescription>
          </DialogHeader>
          {showFormError ? (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{errorMessage(create.error)}</AlertDescription>
            </Alert>
          ) : null}
          <FormField label="Name" error={fieldError("name")}>
            <Input name="name" autoComplete="off" required autoFocus />
          </FormField>
          <FormField label="Email" error={fieldError("email")}>
            <Input name="email" type="email" autoComplete="off" required />
          </FormField>
          <FormField
            label="Password"
            description="At least 8 characters."
            error={fieldError("password")}
          >
            <Input name="password" type="password" autoComplete="new-password" required />
          </FormField>
          <FormField label="Role" error={fieldError("role")}>
            {(control) => (
              <Select value={role} onValueChange={(v) => setRole(v as UserRole)}>
                <SelectTrigger {...control} className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="member">Member: chats with the tools admins allow</SelectItem>
                  <SelectItem value="admin">Admin: also manages users and servers</SelectItem>
                </SelectContent>
              </Select>
            )}
          </FormField>
          <DialogFooter>
            <Button type="submit" disabled={create.isPending} aria-busy={create.isPending}>
              {create.isPending ? <ButtonSpinner /> : null}
              Create user
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
