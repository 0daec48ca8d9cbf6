"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "@/components/ui/toast";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ApiRequestError, errorMessage } from "@/lib/client/api";
import { adminStopWorkspaceMutation } from "@/lib/client/workspace-queries";
import type { AdminWorkspace } from "@/lib/client/workspace-types";

/** Controlled so a row's Stop button opens it. */
export function StopWorkspaceDialog({
  workspace,
  open,
  onOpenChange,
}: {
  workspace: Pick<AdminWorkspace, "id" | "name" | "owner_name" | "owner_email">;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const qc = useQueryClient();
  const stop = useMutation(adminStopWorkspaceMutation(qc));
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Stop “${workspace.name}”?`}
      description={`The workspace of ${workspace.owner_name} (${workspace.owner_email}) stops: its running commands and .mcp.json servers end, and chats using it lose their workspace tools until the owner starts it again. Its files are kept.`}
      confirmLabel="Stop workspace"
      pending={stop.isPending}
      onConfirm={() =>
        stop.mutate(workspace.id, {
          onSuccess: () => {
            toast.success(`Stopped “${workspace.name}”`);
            onOpenChange(false);
          },
          onError: (err) => {
            if (err instanceof ApiRequestError && err.code === "workspace.not_found") {
              toast.error(`“${workspace.name}” no longer exists.`);
              onOpenChange(false);
            } else {
              toast.error(errorMessage(err));
            }
          },
        })
      }
    />
  );
}
