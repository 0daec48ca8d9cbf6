"use client";

import type { ReactElement, ReactNode } from "react";
import { LazyPopup, lazyModule, type TriggerProps } from "./lazy-popup";

const popup = lazyModule(() => import("./tooltip-popup").then((m) => m.TooltipPopup));

/**
 * A tooltip whose code (Radix tooltip, its positioning) loads when its trigger is first
 * hovered or focused, and then shows. `children` is the trigger: one element taking a ref
 * and event handlers. As with any tooltip, the trigger needs its own accessible name.
 */
export function LazyTooltip({
  content,
  contentClassName,
  children,
}: {
  content: ReactNode;
  contentClassName?: string;
  children: ReactElement<TriggerProps>;
}) {
  return (
    <LazyPopup
      module={popup}
      opensOn="tooltip"
      props={{ content, contentClassName }}
      trigger={children}
    />
  );
}
