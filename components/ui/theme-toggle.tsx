"use client";

import * as React from "react";
import { MoonIcon, SunIcon } from "lucide-react";

import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";
import { LazyPopup, lazyModule } from "@/components/ui/lazy-popup";

type ThemeToggleProps = Omit<React.ComponentProps<typeof Button>, "children" | "asChild"> & {
  /** Alignment of the menu relative to the button. */
  align?: "start" | "center" | "end";
};

// The menu loads on first use; the button is there at once.
const menu = lazyModule(() => import("./theme-menu").then((m) => m.ThemeMenu));

/**
 * Icon button (accessible name "Toggle theme") opening a menu with
 * Light / Dark / System radio items. Requires next-themes' `ThemeProvider`
 * with `attribute="class"`.
 */
function ThemeToggle({
  className,
  variant = "ghost",
  size = "icon",
  align = "end",
  ...props
}: ThemeToggleProps) {
  return (
    <LazyPopup
      module={menu}
      opensOn="menu"
      props={{ align }}
      trigger={
        <Button
          variant={variant}
          size={size}
          className={cn("relative", className)}
          data-slot="theme-toggle"
          {...props}
        >
          <SunIcon className="scale-100 rotate-0 transition-transform dark:scale-0 dark:-rotate-90" />
          <MoonIcon className="absolute scale-0 rotate-90 transition-transform dark:scale-100 dark:rotate-0" />
          <span className="sr-only">Toggle theme</span>
        </Button>
      }
    />
  );
}

export { ThemeToggle };
export type { ThemeToggleProps };
