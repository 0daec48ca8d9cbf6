"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { ButtonSpinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { deleteProviderMutation } from "@/lib/client/provider-queries";
import type { ModelProvider } from "@/lib/client/types";

/** Controlled so a row's Delete button opens it. */
export function DeleteProviderDialog({
  provider,
  open,
  onOpenChange,
}: {
  provider: Pick<ModelProvider, "id" | "display_name">;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const qc = useQueryClient();
  const remove = useMutation(deleteProviderMutation(qc));
  return (
    <AlertDialog open={open} onOpenChange={(next) => !remove.isPending && onOpenChange(next)}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete “{provider.display_name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            Its models disappear from every model picker, chats that use one of them must pick
            another model, and the stored API key is deleted. This cannot be undone.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={remove.isPending}>Cancel</AlertDialogCancel>
          <AlertDialogAction
            variant="destructive"
            disabled={remove.isPending}
            aria-busy={remove.isPending}
            onClick={(event) => {
              // Stay open until the server answers, so a failure is not silently lost.
              event.preventDefault();
              remove.mutate(provider.id, {
                onSuccess: () => {
                  toast.success(`Deleted “${provider.display_name}”`);
                  onOpenChange(false);
                },
                onError: (err) => toast.error(errorMessage(err)),
              });
            }}
          >
            {remove.isPending ? <ButtonSpinner /> : null}
            Delete provider
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
