"use client";

import type { ReactElement, ReactNode } from "react";
import { Tooltip, TooltipContent, TooltipTrigger } from "./tooltip";

/** A tooltip around `trigger`, loaded on first use (see LazyTooltip). */
export function TooltipPopup({
  content,
  contentClassName,
  trigger,
}: {
  content: ReactNode;
  contentClassName?: string;
  trigger: ReactElement;
}) {
  return (
    <Tooltip>
      <TooltipTrigger asChild>{trigger}</TooltipTrigger>
      <TooltipContent className={contentClassName}>{content}</TooltipContent>
    </Tooltip>
  );
}
