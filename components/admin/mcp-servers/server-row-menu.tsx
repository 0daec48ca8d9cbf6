"use client";

import Link from "next/link";
import { useState, type ReactElement } from "react";
import { PencilIcon, Trash2Icon } from "lucide-react";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { McpServerConfig } from "@/lib/client/types";
import { DeleteMcpServerDialog } from "./delete-mcp-server-dialog";

/** A row's actions (edit, delete with its confirmation), loaded on first use of any row's. */
export function ServerRowMenu({
  server,
  trigger,
}: {
  server: Pick<McpServerConfig, "id" | "display_name">;
  trigger: ReactElement;
}) {
  const [deleteOpen, setDeleteOpen] = useState(false);
  const editHref = `/admin/mcp-servers/${server.id}`;
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>{trigger}</DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem asChild>
            <Link href={editHref}>
              <PencilIcon aria-hidden="true" />
              Edit
            </Link>
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem variant="destructive" onSelect={() => setDeleteOpen(true)}>
            <Trash2Icon aria-hidden="true" />
            Delete
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <DeleteMcpServerDialog server={server} open={deleteOpen} onOpenChange={setDeleteOpen} />
    </>
  );
}
