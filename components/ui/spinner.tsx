import * as React from "react";
import { LoaderCircleIcon } from "lucide-react";
import { cva, type VariantProps } from "class-variance-authority";

import { cn } from "@/lib/utils";

const spinnerVariants = cva("animate-spin", {
  variants: {
    size: {
      sm: "size-3",
      default: "size-4",
      lg: "size-6",
      xl: "size-8",
    },
  },
  defaultVariants: {
    size: "default",
  },
});

type SpinnerProps = Omit<React.ComponentProps<"span">, "children"> &
  VariantProps<typeof spinnerVariants> & {
    /** Visually hidden text announced by screen readers. */
    label?: string;
  };

/**
 * Accessible loading indicator: a `role="status"` live region whose name comes
 * from a visually hidden `label` (default "Loading"). The icon keeps spinning
 * under `prefers-reduced-motion` (see `data-motion` in globals.css) but slower.
 */
function Spinner({ className, size, label = "Loading", ...props }: SpinnerProps) {
  return (
    <span
      role="status"
      data-slot="spinner"
      className={cn("inline-flex items-center justify-center text-current", className)}
      {...props}
    >
      <LoaderCircleIcon
        aria-hidden="true"
        data-motion="allow"
        className={cn(spinnerVariants({ size }), "motion-reduce:[animation-duration:2s]")}
      />
      <span className="sr-only">{label}</span>
    </span>
  );
}

/**
 * A spinner for inside a button: decorative only, so the button keeps its accessible name;
 * mark the button `aria-busy` while it shows.
 */
function ButtonSpinner({ className }: { className?: string }) {
  return (
    <LoaderCircleIcon
      aria-hidden="true"
      data-slot="button-spinner"
      data-motion="allow"
      className={cn("animate-spin motion-reduce:[animation-duration:2s]", className)}
    />
  );
}

export { Spinner, ButtonSpinner, spinnerVariants };
export type { SpinnerProps };
