"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import {
  BoxIcon,
  BrainCircuitIcon,
  ScrollTextIcon,
  MessageSquareIcon,
  ServerIcon,
  SettingsIcon,
  SlidersHorizontalIcon,
  UsersIcon,
} from "lucide-react";
import { cn } from "@/lib/utils";

const LINKS = [
  { href: "/chat", label: "Chat", icon: MessageSquareIcon, admin: false },
  { href: "/admin/users", label: "Users", icon: UsersIcon, admin: true },
  { href: "/admin/mcp-servers", label: "MCP servers", icon: ServerIcon, admin: true },
  { href: "/admin/providers", label: "Model providers", icon: BrainCircuitIcon, admin: true },
  { href: "/admin/workspaces", label: "Workspaces", icon: BoxIcon, admin: true },
  { href: "/admin/audit", label: "Audit", icon: ScrollTextIcon, admin: true },
  { href: "/admin/settings", label: "App settings", icon: SlidersHorizontalIcon, admin: true },
  { href: "/settings", label: "Settings", icon: SettingsIcon, admin: false },
];

export function NavLinks({ isAdmin, onNavigate }: { isAdmin: boolean; onNavigate?: () => void }) {
  const pathname = usePathname();
  const item = (link: (typeof LINKS)[number]) => {
    const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
    return (
      <li key={link.href}>
        <Link
          href={link.href}
          // The chat's bundle (the AI SDK client, zod) is not fetched for admins at work in the
          // admin pages; it loads when they go to the chat.
          prefetch={link.href === "/chat" && pathname.startsWith("/admin") ? false : undefined}
          onClick={onNavigate}
          aria-current={active ? "page" : undefined}
          className={cn(
            "flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-sidebar-foreground/80 transition-colors hover:bg-sidebar-accent hover:text-sidebar-accent-foreground",
            active && "bg-sidebar-accent text-sidebar-accent-foreground",
          )}
        >
          <link.icon className="size-4" aria-hidden="true" />
          {link.label}
        </Link>
      </li>
    );
  };
  return (
    <nav aria-label="Main" className="flex flex-col gap-4">
      <ul className="flex flex-col gap-1">
        {LINKS.filter((l) => !l.admin && l.href !== "/settings").map(item)}
      </ul>
      {isAdmin ? (
        <div className="flex flex-col gap-1">
          <p className="px-3 text-xs font-medium tracking-wide text-muted-foreground uppercase">
            Admin
          </p>
          <ul className="flex flex-col gap-1">{LINKS.filter((l) => l.admin).map(item)}</ul>
        </div>
      ) : null}
      <ul className="flex flex-col gap-1">
        {LINKS.filter((l) => l.href === "/settings").map(item)}
      </ul>
    </nav>
  );
}
