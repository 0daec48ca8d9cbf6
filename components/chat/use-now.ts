"use client";

import { useEffect, useState } from "react";

/** The current time, ticking every 5 s while `active` (a card's "time left" while it waits). */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
