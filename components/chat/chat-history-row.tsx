"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { MoreHorizontalIcon, PencilIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { ButtonSpinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { deleteChatMutation, updateChatMutation } from "@/lib/client/chat-queries";
import type { Chat } from "@/lib/client/types";
import { cn } from "@/lib/utils";
import { chatTitle } from "./chat-title";

export function ChatHistoryRow({
  chat,
  active,
  onNavigate,
}: {
  chat: Chat;
  active: boolean;
  onNavigate?: () => void;
}) {
  const qc = useQueryClient();
  const router = useRouter();
  const remove = useMutation(deleteChatMutation(qc));
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [renameOpen, setRenameOpen] = useState(false);
  const title = chatTitle(chat);

  return (
    <li
      className={cn(
        "group relative flex items-center rounded-md text-sm hover:bg-accent",
        active && "bg-accent font-medium text-accent-foreground",
      )}
    >
      <Link
        href={`/chat/${chat.id}`}
        onClick={onNavigate}
        aria-current={active ? "page" : undefined}
        className="flex min-w-0 flex-1 items-center gap-2 rounded-md px-2 py-1.5 pr-8 outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        title={title}
      >
        <span className="truncate">{title}</span>
        {chat.status === "running" ? (
          <>
            <span
              aria-hidden="true"
              className="size-1.5 shrink-0 animate-pulse rounded-full bg-primary"
            />
            <span className="sr-only"> (answering)</span>
          </>
        ) : chat.status === "waiting" ? (
          <>
            <span aria-hidden="true" className="size-1.5 shrink-0 rounded-full bg-amber-500" />
            <span className="sr-only"> (waiting for you)</span>
          </>
        ) : null}
      </Link>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            variant="ghost"
            size="icon"
            className="absolute right-0.5 size-7 opacity-0 group-hover:opacity-100 focus-visible:opacity-100 data-[state=open]:opacity-100"
            aria-label={`Options for ${title}`}
          >
            <MoreHorizontalIcon />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => setRenameOpen(true)}>
            <PencilIcon aria-hidden="true" />
            Rename
          </DropdownMenuItem>
          <DropdownMenuItem variant="destructive" onSelect={() => setDeleteOpen(true)}>
            <Trash2Icon aria-hidden="true" />
            Delete
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <RenameChatDialog chat={chat} open={renameOpen} onOpenChange={setRenameOpen} />
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title={`Delete “${title}”?`}
        description="The chat and all its messages are deleted. This cannot be undone."
        confirmLabel="Delete chat"
        pending={remove.isPending}
        onConfirm={() =>
          remove.mutate(chat.id, {
            onSuccess: () => {
              toast.success(`Deleted “${title}”`);
              setDeleteOpen(false);
              if (active) router.push("/chat");
            },
            onError: (err) => toast.error(errorMessage(err)),
          })
        }
      />
    </li>
  );
}

function RenameChatDialog({
  chat,
  open,
  onOpenChange,
}: {
  chat: Chat;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const qc = useQueryClient();
  const update = useMutation(updateChatMutation(qc));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const title = String(new FormData(event.currentTarget).get("title") ?? "").trim();
    update.mutate(
      { id: chat.id, patch: { title } },
      {
        onSuccess: () => {
          onOpenChange(false);
          toast.success("Chat renamed");
        },
      },
    );
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) update.reset();
      }}
    >
      <DialogContent aria-describedby={undefined}>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>Rename chat</DialogTitle>
          </DialogHeader>
          <FormField label="Title" error={update.isError ? errorMessage(update.error) : undefined}>
            <Input name="title" defaultValue={chat.title} maxLength={200} autoFocus />
          </FormField>
          <DialogFooter>
            <Button type="submit" disabled={update.isPending} aria-busy={update.isPending}>
              {update.isPending ? <ButtonSpinner /> : null}
              Save
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
