"use client";

import { useState, type ReactElement } from "react";
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { Brand } from "./brand";
import { NavLinks } from "./nav-links";
import type { ShellUser } from "./shell-user";
import { UserMenu } from "./user-menu";

/** The navigation as a sheet at phone width, loaded on first use (see AppShell). */
export function MobileNav({ user, trigger }: { user: ShellUser; trigger: ReactElement }) {
  const [open, setOpen] = useState(false);
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>{trigger}</SheetTrigger>
      <SheetContent side="left" className="flex w-64 flex-col gap-6 bg-sidebar p-3">
        <SheetTitle className="sr-only">Navigation</SheetTitle>
        <Brand />
        <div className="flex-1">
          <NavLinks isAdmin={user.role === "admin"} onNavigate={() => setOpen(false)} />
        </div>
        <UserMenu {...user} />
      </SheetContent>
    </Sheet>
  );
}
