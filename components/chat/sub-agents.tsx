"use client";

import { useQuery } from "@tanstack/react-query";
import { BotIcon, CornerLeftUpIcon } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { chatChildrenQuery } from "@/lib/client/chat-queries";
import type { Chat } from "@/lib/client/types";
import { chatTitle } from "./chat-title";

const KIND_TEXT: Record<Chat["agent_kind"], string> = {
  root: "Chat",
  subagent: "Sub-agent",
  explore: "Explore",
};

const STATUS_TEXT: Record<Chat["status"], string> = {
  idle: "Done",
  running: "Working",
  waiting: "Waiting",
  error: "Failed",
};

/**
 * The sub-agents a chat's turns started, in the conversation header: each with its kind and
 * status, linking to its own chat. Polls while the parent or any sub-agent is working.
 */
export function SubAgentsMenu({ chatId, busy }: { chatId: string; busy: boolean }) {
  const children = useQuery({
    ...chatChildrenQuery(chatId),
    refetchInterval: (query) =>
      busy || (query.state.data ?? []).some((c) => c.status === "running") ? 2_000 : false,
  });
  const list = children.data ?? [];
  if (list.length === 0) return null;
  const working = list.filter((c) => c.status === "running").length;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" className="h-8 gap-1.5 text-xs">
          <BotIcon aria-hidden="true" />
          Sub-agents ({list.length})
          {working > 0 ? (
            <>
              <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-primary" />
              <span className="sr-only">, {working} working</span>
            </>
          ) : null}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-72">
        <DropdownMenuLabel>Sub-agents of this chat</DropdownMenuLabel>
        {list.map((child) => (
          <DropdownMenuItem key={child.id} asChild>
            <Link href={`/chat/${child.id}`} className="flex items-center gap-2">
              <span className="min-w-0 flex-1 truncate">{chatTitle(child)}</span>
              <span className="shrink-0 text-xs text-muted-foreground">
                {KIND_TEXT[child.agent_kind]} · {STATUS_TEXT[child.status]}
              </span>
            </Link>
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

/** Shown in a sub-agent's chat: what it is and the way back to the chat that started it. */
export function ParentChatLink({ chat }: { chat: Pick<Chat, "parent_chat_id" | "agent_kind"> }) {
  if (!chat.parent_chat_id) return null;
  return (
    <Button asChild variant="ghost" size="sm" className="h-8 gap-1.5 text-xs">
      <Link href={`/chat/${chat.parent_chat_id}`}>
        <CornerLeftUpIcon aria-hidden="true" />
        {KIND_TEXT[chat.agent_kind]} of the main chat
      </Link>
    </Button>
  );
}
