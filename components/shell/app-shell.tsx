"use client";

import Link from "next/link";
import { MenuIcon, ShieldCheckIcon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { NavLinks } from "./nav-links";
import { UserMenu } from "./user-menu";

export interface ShellUser {
  name: string;
  email: string;
  role: "admin" | "member";
}

function Brand() {
  return (
    <Link href="/" className="flex items-center gap-2 px-2 text-base font-semibold">
      <ShieldCheckIcon className="size-5" aria-hidden="true" />
      toolgate
    </Link>
  );
}

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const isAdmin = user.role === "admin";
  return (
    <div className="flex min-h-svh">
      <aside className="sticky top-0 hidden h-svh w-60 shrink-0 flex-col gap-6 border-r bg-sidebar p-3 md:flex">
        <Brand />
        <div className="flex-1 overflow-y-auto">
          <NavLinks isAdmin={isAdmin} />
        </div>
        <div className="flex items-center gap-1">
          <div className="min-w-0 flex-1">
            <UserMenu {...user} />
          </div>
          <ThemeToggle />
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center gap-2 border-b p-2 md:hidden">
          <Sheet open={open} onOpenChange={setOpen}>
            <SheetTrigger asChild>
              <Button variant="ghost" size="icon" aria-label="Open navigation">
                <MenuIcon />
              </Button>
            </SheetTrigger>
            <SheetContent side="left" className="flex w-64 flex-col gap-6 bg-sidebar p-3">
              <SheetTitle className="sr-only">Navigation</SheetTitle>
              <Brand />
              <div className="flex-1">
                <NavLinks isAdmin={isAdmin} onNavigate={() => setOpen(false)} />
              </div>
              <UserMenu {...user} />
            </SheetContent>
          </Sheet>
          <Brand />
          <div className="ml-auto">
            <ThemeToggle />
          </div>
        </header>
        <main className="flex-1 p-4 md:p-8">{children}</main>
      </div>
    </div>
  );
}
