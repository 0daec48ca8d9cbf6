"use client";

import { Avatar, AvatarFallback } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { LazyPopup, lazyModule } from "@/components/ui/lazy-popup";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (
    parts.length > 1 ? `${parts[0]![0]}${parts[parts.length - 1]![0]}` : name.slice(0, 2)
  ).toUpperCase();
}

// The menu (Radix menu, its positioning) loads on first use; its button is there at once.
const popup = lazyModule(() => import("./user-menu-popup").then((m) => m.UserMenuPopup));

export function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  return (
    <LazyPopup
      module={popup}
      opensOn="menu"
      props={{ name, email, role }}
      trigger={
        // Named by its visible text, after a hidden "User menu": a name that does not contain
        // what is shown fails WCAG 2.5.3 (speech users say what they see).
        <Button variant="ghost" className="h-auto w-full justify-start gap-2 px-2 py-1.5">
          <span className="sr-only">User menu: </span>
          <Avatar className="size-7" aria-hidden="true">
            <AvatarFallback className="text-xs">{initials(name)}</AvatarFallback>
          </Avatar>
          <span className="flex min-w-0 flex-col items-start text-left">
            <span className="truncate text-sm font-medium">{name}</span>
            <span className="truncate text-xs text-muted-foreground">{email}</span>
          </span>
        </Button>
      }
    />
  );
}
