"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "@/components/ui/toast";
import { ConfirmDialog } from "@/components/confirm-dialog";
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
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Delete “${server.display_name}”?`}
      description="Its tools disappear from every chat at once, and every user's stored sign-in for it is removed. This cannot be undone."
      confirmLabel="Delete server"
      pending={remove.isPending}
      onConfirm={() =>
        remove.mutate(server.id, {
          onSuccess: () => {
            toast.success(`Deleted “${server.display_name}”`);
            onOpenChange(false);
            onDeleted?.();
          },
          onError: (err) => toast.error(errorMessage(err)),
        })
      }
    />
  );
}
