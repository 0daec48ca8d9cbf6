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
import { deleteMcpServerMutation } from "@/lib/client/mcp-queries";
import type { McpServerConfig } from "@/lib/client/types";

/** Controlled so it can be opened from a dropdown menu item as well as from a button. */
export function DeleteMcpServerDialog({
  server,
  open,
  onOpenChange,
  onDeleted,
}: {
  server: Pick<McpServerConfig, "id" | "display_name">;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDeleted?: () => void;
}) {
  const qc = useQueryClient();
  const remove = useMutation(deleteMcpServerMutation(qc));
  return (
    <AlertDialog open={open} onOpenChange={(next) => !remove.isPending && onOpenChange(next)}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete “{server.display_name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            Its tools disappear from every chat at once, and every user&apos;s stored sign-in for it
            is removed. This cannot be undone.
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
              remove.mutate(server.id, {
                onSuccess: () => {
                  toast.success(`Deleted “${server.display_name}”`);
                  onOpenChange(false);
                  onDeleted?.();
                },
                onError: (err) => toast.error(errorMessage(err)),
              });
            }}
          >
            {remove.isPending ? <ButtonSpinner /> : null}
            Delete server
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
