"use client";

import type * as React from "react";
import { useTheme } from "next-themes";
import { Toaster as Sonner, type ToasterProps } from "sonner";

/** Sonner toaster themed from next-themes and the design tokens. Render once in the root layout. */
function Toaster({ ...props }: ToasterProps) {
  const { theme } = useTheme();
  const resolved: ToasterProps["theme"] = theme === "light" || theme === "dark" ? theme : "system";

  return (
    <Sonner
      theme={resolved}
      className="toaster group"
      style={
        {
          "--normal-bg": "var(--popover)",
          "--normal-text": "var(--popover-foreground)",
          "--normal-border": "var(--border)",
          "--border-radius": "var(--radius)",
        } as React.CSSProperties
      }
      {...props}
    />
  );
}

export { Toaster };
export { toast } from "sonner";
