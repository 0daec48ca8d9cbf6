"use client";

import { useSyncExternalStore, type ComponentProps } from "react";
import type * as Sonner from "./sonner";

// Toasts (sonner) load with the first one shown, not with every page: `toast` here queues the
// call behind that load, and <LazyToaster /> mounts the toaster once the code is there. The
// toaster shows the toasts created before it subscribed (sonner replays the active ones).

type SonnerModule = typeof Sonner;
type Message = Parameters<SonnerModule["toast"]["success"]>[0];
type Options = Parameters<SonnerModule["toast"]["success"]>[1];

let loaded: SonnerModule | undefined;
let loading: Promise<SonnerModule> | undefined;
const listeners = new Set<() => void>();

function loadSonner(): Promise<SonnerModule> {
  loading ??= import("./sonner").then(
    (sonner) => {
      loaded = sonner;
      for (const listener of listeners) listener();
      return sonner;
    },
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

function show(kind: "success" | "error" | "info", message: Message, options?: Options): void {
  if (loaded) {
    loaded.toast[kind](message, options);
    return;
  }
  loadSonner().then(
    (sonner) => sonner.toast[kind](message, options),
    (err: unknown) => console.error("[ui] could not load the notifications:", err, message),
  );
}

/** sonner's toast.success / error / info, loading sonner with the first toast. */
export const toast = {
  success: (message: Message, options?: Options) => show("success", message, options),
  error: (message: Message, options?: Options) => show("error", message, options),
  info: (message: Message, options?: Options) => show("info", message, options),
};

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The toaster, rendered once in the root layout; nothing until the first toast. */
export function LazyToaster(props: ComponentProps<typeof Sonner.Toaster>) {
  const sonner = useSyncExternalStore(
    subscribe,
    () => loaded,
    () => undefined,
  );
  if (!sonner) return null;
  return <sonner.Toaster {...props} />;
}
