"use client";

import { QueryView } from "@/components/query-view";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckIcon, CopyIcon, KeyRoundIcon, PlusIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
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
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from "@/components/ui/card";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { ButtonSpinner } from "@/components/ui/spinner";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { createTokenMutation, revokeTokenMutation, tokensQuery } from "@/lib/client/queries";
import type { ApiToken, CreatedApiToken } from "@/lib/client/types";

export function ApiTokensCard() {
  const tokens = useQuery(tokensQuery());
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>API tokens</h2>
        </CardTitle>
        <CardDescription>
          Use a token as <code className="text-xs">Authorization: Bearer &lt;token&gt;</code> to
          call the API.
        </CardDescription>
        <CardAction>
          <CreateTokenDialog />
        </CardAction>
      </CardHeader>
      <CardContent>
        <QueryView
          query={tokens}
          loadingLabel="Loading tokens"
          skeletonRows={2}
          skeletonClassName="h-8 w-full"
          empty={
            <EmptyState
              titleAs="h3"
              icon={<KeyRoundIcon />}
              title="No API tokens"
              description="Create one to use toolgate from scripts and other tools."
            />
          }
        >
          {(data) => <TokenTable tokens={data} />}
        </QueryView>
      </CardContent>
    </Card>
  );
}

function TokenTable({ tokens }: { tokens: ApiToken[] }) {
  return (
    <Table aria-label="API tokens">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Token</TableHead>
          <TableHead>Created</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead className="text-right">
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {tokens.map((t) => (
          <TableRow key={t.id}>
            <TableCell className="font-medium">{t.name}</TableCell>
            <TableCell>
              <code className="text-xs text-muted-foreground">{t.prefix}…</code>
            </TableCell>
            <TableCell>
              <DateTime value={t.created_at} />
            </TableCell>
            <TableCell>
              <DateTime value={t.last_used_at} />
            </TableCell>
            <TableCell className="text-right">
              <RevokeTokenButton token={t} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function RevokeTokenButton({ token }: { token: ApiToken }) {
  const qc = useQueryClient();
  const revoke = useMutation(revokeTokenMutation(qc));
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          aria-label={`Revoke token ${token.name}`}
          disabled={revoke.isPending}
        >
          {revoke.isPending ? <ButtonSpinner /> : null}
          Revoke
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Revoke “{token.name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            Anything using this token stops working at once. This cannot be undone.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            variant="destructive"
            onClick={() =>
              revoke.mutate(token.id, {
                onSuccess: () => toast.success(`Token “${token.name}” revoked`),
                onError: (err) => toast.error(errorMessage(err)),
              })
            }
          >
            Revoke token
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function CreateTokenDialog() {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const create = useMutation(createTokenMutation(qc));

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      // The token value is shown once: forget it when the dialog closes.
      setCreated(null);
      create.reset();
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    create.mutate(name, { onSuccess: (token) => setCreated(token) });
  }

  const nameError =
    create.error instanceof ApiRequestError
      ? create.error.fieldError("name") && `Name ${create.error.fieldError("name")}`
      : undefined;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm">
          <PlusIcon aria-hidden="true" />
          New token
        </Button>
      </DialogTrigger>
      <DialogContent>
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Token created</DialogTitle>
              <DialogDescription>Copy it now: it will not be shown again.</DialogDescription>
            </DialogHeader>
            <TokenReveal token={created.token} />
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
            <DialogHeader>
              <DialogTitle>New API token</DialogTitle>
              <DialogDescription>Name it after where it will be used.</DialogDescription>
            </DialogHeader>
            {create.isError && !nameError ? (
              <Alert variant="destructive" role="alert">
                <AlertDescription>{errorMessage(create.error)}</AlertDescription>
              </Alert>
            ) : null}
            <FormField label="Token name" error={nameError || undefined}>
              <Input
                name="name"
                placeholder="e.g. CI pipeline"
                maxLength={100}
                required
                autoFocus
              />
            </FormField>
            <DialogFooter>
              <Button type="submit" disabled={create.isPending} aria-busy={create.isPending}>
                {create.isPending ? <ButtonSpinner /> : null}
                Create token
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

function TokenReveal({ token }: { token: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert>
      <AlertTitle>Your new token</AlertTitle>
      <AlertDescription className="flex flex-col gap-2">
        <div className="flex w-full items-center gap-2">
          <Input
            readOnly
            value={token}
            aria-label="New API token"
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
          <Button
            type="button"
            variant="outline"
            size="icon"
            aria-label={copied ? "Copied" : "Copy token"}
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(token);
                setCopied(true);
              } catch {
                toast.error("Copy failed: select the token and copy it by hand.");
              }
            }}
          >
            {copied ? <CheckIcon /> : <CopyIcon />}
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  );
}
