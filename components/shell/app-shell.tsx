"use client";

import { MenuIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { LazyPopup, lazyModule } from "@/components/ui/lazy-popup";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { Brand } from "./brand";
import { NavLinks } from "./nav-links";
import type { ShellUser } from "./shell-user";
import { UserMenu } from "./user-menu";

// The phone-width navigation sheet (Radix dialog) loads on first use; its button is there at once.
const mobileNav = lazyModule(() => import("./mobile-nav").then((m) => m.MobileNav));

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  return (
    <div className="flex min-h-svh">
      <aside className="sticky top-0 hidden h-svh w-60 shrink-0 flex-col gap-6 border-r bg-sidebar p-3 md:flex">
        <Brand />
        <div className="flex-1 overflow-y-auto">
          <NavLinks isAdmin={user.role === "admin"} />
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
          <LazyPopup
            module={mobileNav}
            opensOn="dialog"
            props={{ user }}
            trigger={
              <Button variant="ghost" size="icon" aria-label="Open navigation">
                <MenuIcon />
              </Button>
            }
          />
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
