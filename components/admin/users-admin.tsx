"use client";

import { QueryView } from "@/components/query-view";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PlusIcon, UsersIcon } from "lucide-react";
import { toast } from "@/components/ui/toast";
import { DateTime } from "@/components/date-time";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { ButtonSpinner } from "@/components/ui/spinner";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { errorMessage } from "@/lib/client/api";
import { updateUserMutation, usersQuery } from "@/lib/client/queries";
import type { User, UserRole } from "@/lib/client/types";
import { CreateUserDialog } from "./create-user-dialog";
import { EditUserNameDialog } from "./edit-user-name-dialog";
import { ResetPasswordDialog } from "./reset-password-dialog";

export function UsersAdmin({ currentUserId }: { currentUserId: string }) {
  const users = useQuery(usersQuery());
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader
        title="Users"
        description="Create accounts, rename people, change roles, reset passwords and disable access. A role change, a disable or a reset signs the user out at once."
        actions={
          <CreateUserDialog>
            <Button>
              <PlusIcon aria-hidden="true" />
              Add user
            </Button>
          </CreateUserDialog>
        }
      />
      <QueryView
        query={users}
        loadingLabel="Loading users"
        empty={
          <EmptyState
            icon={<UsersIcon />}
            title="No users"
            description="Add the first member of your team."
          />
        }
      >
        {(data) => (
          <div className="rounded-lg border">
            <Table aria-label="Users">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Email</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Created</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.map((u) => (
                  <UserRow key={u.id} user={u} isSelf={u.id === currentUserId} />
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </QueryView>
    </div>
  );
}

function UserRow({ user, isSelf }: { user: User; isSelf: boolean }) {
  const qc = useQueryClient();
  const update = useMutation(updateUserMutation(qc));
  const change = (patch: { role?: UserRole; disabled?: boolean }, done: string) =>
    update.mutate(
      { id: user.id, ...patch },
      { onSuccess: () => toast.success(done), onError: (err) => toast.error(errorMessage(err)) },
    );

  return (
    <TableRow>
      <TableCell className="font-medium">
        {user.name}
        {isSelf ? <span className="ml-2 text-xs text-muted-foreground">(you)</span> : null}
      </TableCell>
      <TableCell>{user.email}</TableCell>
      <TableCell>
        <Select
          value={user.role}
          disabled={update.isPending}
          onValueChange={(role) =>
            change({ role: role as UserRole }, `${user.name} is now ${role}`)
          }
        >
          <SelectTrigger size="sm" className="w-28" aria-label={`Role of ${user.email}`}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="member">member</SelectItem>
            <SelectItem value="admin">admin</SelectItem>
          </SelectContent>
        </Select>
      </TableCell>
      <TableCell>
        {user.disabled ? (
          <Badge variant="destructive">Disabled</Badge>
        ) : (
          <Badge variant="secondary">Active</Badge>
        )}
      </TableCell>
      <TableCell>
        <DateTime value={user.created_at} />
      </TableCell>
      <TableCell className="space-x-1 text-right">
        <EditUserNameDialog user={user}>
          <Button variant="ghost" size="sm" aria-label={`Rename ${user.email}`}>
            Rename
          </Button>
        </EditUserNameDialog>
        <ResetPasswordDialog user={user}>
          <Button variant="ghost" size="sm" aria-label={`Reset password of ${user.email}`}>
            Reset password
          </Button>
        </ResetPasswordDialog>
        {user.disabled ? (
          <Button
            variant="outline"
            size="sm"
            disabled={update.isPending}
            aria-label={`Enable ${user.email}`}
            onClick={() => change({ disabled: false }, `${user.name} can sign in again`)}
          >
            {update.isPending ? <ButtonSpinner /> : null}
            Enable
          </Button>
        ) : (
          <AlertDialog>
            <AlertDialogTrigger asChild>
              <Button
                variant="ghost"
                size="sm"
                disabled={update.isPending}
                aria-label={`Disable ${user.email}`}
              >
                {update.isPending ? <ButtonSpinner /> : null}
                Disable
              </Button>
            </AlertDialogTrigger>
            <AlertDialogContent>
              <AlertDialogHeader>
                <AlertDialogTitle>Disable {user.name}?</AlertDialogTitle>
                <AlertDialogDescription>
                  {user.email} is signed out at once and their API tokens stop working. You can
                  enable the account again later; they then sign in again.
                </AlertDialogDescription>
              </AlertDialogHeader>
              <AlertDialogFooter>
                <AlertDialogCancel>Cancel</AlertDialogCancel>
                <AlertDialogAction
                  variant="destructive"
                  onClick={() => change({ disabled: true }, `${user.name} is disabled`)}
                >
                  Disable user
                </AlertDialogAction>
              </AlertDialogFooter>
            </AlertDialogContent>
          </AlertDialog>
        )}
      </TableCell>
    </TableRow>
  );
}
