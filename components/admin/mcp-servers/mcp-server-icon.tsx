"use client";

import { ServerIcon } from "lucide-react";
import { useState } from "react";
import { cn } from "@/lib/utils";

/**
 * The server's icon, or a generic one when it has none or it fails to load. A plain <img>:
 * icons are admin-chosen URLs on any host, which next/image would need listed in the config.
 */
export function McpServerIcon({
  src,
  name,
  className,
  decorative = false,
}: {
  src: string;
  name: string;
  className?: string;
  /** Next to the visible name (e.g. in a heading), where alt text would only repeat it. */
  decorative?: boolean;
}) {
  const alt = decorative ? "" : `${name || "Server"} icon`;
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const box = cn(
    "flex size-8 shrink-0 items-center justify-center overflow-hidden rounded-md border bg-muted text-muted-foreground",
    className,
  );
  if (!src || failedSrc === src) {
    return (
      <span
        className={box}
        role={decorative ? undefined : "img"}
        aria-label={decorative ? undefined : alt}
        aria-hidden={decorative || undefined}
      >
        <ServerIcon aria-hidden="true" className="size-4" />
      </span>
    );
  }
  return (
    <span className={box}>
      {/* eslint-disable-next-line @next/next/no-img-element -- arbitrary admin-chosen host */}
      <img
        src={src}
        alt={alt}
        className="size-full object-contain"
        referrerPolicy="no-referrer"
        onError={() => setFailedSrc(src)}
      />
    </span>
  );
}
