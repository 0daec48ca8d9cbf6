"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "@/components/ui/toast";
import { ConfirmDialog } from "@/components/confirm-dialog";
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
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Delete “${provider.display_name}”?`}
      description="Its models disappear from every model picker, chats that use one of them must pick another model, and the stored API key is deleted. This cannot be undone."
      confirmLabel="Delete provider"
      pending={remove.isPending}
      onConfirm={() =>
        remove.mutate(provider.id, {
          onSuccess: () => {
            toast.success(`Deleted “${provider.display_name}”`);
            onOpenChange(false);
          },
          onError: (err) => toast.error(errorMessage(err)),
        })
      }
    />
  );
}
