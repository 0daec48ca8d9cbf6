"use client";

import { Slot } from "radix-ui";
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ComponentType,
  type FocusEventHandler,
  type KeyboardEvent,
  type KeyboardEventHandler,
  type MouseEvent,
  type MouseEventHandler,
  type PointerEvent,
  type PointerEventHandler,
  type ReactElement,
  type Ref,
} from "react";

/**
 * A module of the page's code loaded on first use (a menu, a dialog, a tooltip with their
 * Radix parts and positioning library), shared by every place that uses it.
 */
export interface LazyModule<T> {
  /** The module if it has loaded. */
  current(): T | undefined;
  /** Starts loading (once; again after a failure) and resolves with the module. */
  load(): Promise<T>;
}

export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let value: T | undefined;
  let loading: Promise<T> | undefined;
  return {
    current: () => value,
    load() {
      loading ??= importer().then(
        (loaded) => (value = loaded),
        (err: unknown) => {
          loading = undefined;
          throw err;
        },
      );
      return loading;
    },
  };
}

/** How the real popup opens, replayed on its trigger once it is there. */
type Opener =
  | { kind: "pointerdown"; pointerType: string }
  | { kind: "keydown"; key: string }
  | { kind: "click" }
  | { kind: "hover" }
  | { kind: "focus" };

/**
 * What the trigger element must take (a Button, a Badge: any element spreading its props on
 * one DOM element); the light trigger also gets the ARIA of the real one while closed.
 */
export interface TriggerProps {
  ref?: Ref<HTMLElement>;
  className?: string;
  onPointerDown?: PointerEventHandler<HTMLElement>;
  onPointerEnter?: PointerEventHandler<HTMLElement>;
  onPointerLeave?: PointerEventHandler<HTMLElement>;
  onKeyDown?: KeyboardEventHandler<HTMLElement>;
  onClick?: MouseEventHandler<HTMLElement>;
  onFocus?: FocusEventHandler<HTMLElement>;
  onBlur?: FocusEventHandler<HTMLElement>;
}

/** The real popup: renders `trigger` as its own trigger (Radix `asChild`) and the rest. */
export type PopupComponent<P> = ComponentType<P & { trigger: ReactElement }>;

const MENU_KEYS = new Set(["Enter", " ", "ArrowDown"]);
/** Loads slower than this show progress on the trigger. */
const SLOW_MS = 300;

/**
 * A popup whose code loads on first use. Until then its trigger is rendered alone, as the
 * real one renders it (same element, name and ARIA), so it is there, focusable and clickable
 * at once. The first press (pointer, key or click, per `opensOn`) loads the popup's module,
 * swaps in the real popup and replays that press on its trigger, so the first press opens it
 * as it would have with the code already there (the keyboard included: a menu opened with
 * Enter or ArrowDown focuses its first item). Hovering or focusing the trigger starts the
 * load early. A slow load marks the trigger busy; a failed one leaves the trigger to be
 * pressed again.
 *
 * - "menu": opens on pointer down (primary button) and Enter, Space, ArrowDown (Radix menu).
 * - "dialog": opens on click (Radix dialog trigger).
 * - "tooltip": opens on hover and focus (Radix tooltip).
 */
export function LazyPopup<P extends object>({
  module,
  props,
  trigger,
  opensOn,
}: {
  module: LazyModule<PopupComponent<P>>;
  props: P;
  trigger: ReactElement<TriggerProps>;
  opensOn: "menu" | "dialog" | "tooltip";
}) {
  const [Real, setReal] = useState<PopupComponent<P> | undefined>(undefined);
  const [slow, setSlow] = useState(false);
  const opener = useRef<Opener | null>(null);
  const focused = useRef(false);
  const hovered = useRef(false);
  const node = useRef<HTMLElement | null>(null);
  const setNode = useCallback((element: HTMLElement | null) => {
    node.current = element;
  }, []);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const activate = (next: Opener) => {
    opener.current ??= next;
    const loaded = module.current();
    if (loaded) {
      setReal(() => loaded);
      return;
    }
    const timer = setTimeout(() => mounted.current && setSlow(true), SLOW_MS);
    module
      .load()
      .then(
        (component) => {
          if (mounted.current) setReal(() => component);
        },
        (err: unknown) => {
          opener.current = null;
          console.error("[ui] could not load a popup's code:", err);
        },
      )
      .finally(() => {
        clearTimeout(timer);
        if (mounted.current) setSlow(false);
      });
  };
  const preload = () => void module.load().catch(() => undefined);

  // The light trigger had focus: the real one, a new element, takes it over.
  useLayoutEffect(() => {
    if (Real && focused.current) node.current?.focus();
  }, [Real]);

  // Replayed after the real popup's own effects (its document listeners) are in place.
  useEffect(() => {
    const target = node.current;
    const pending = opener.current;
    opener.current = null;
    if (!Real || !target || !pending) return;
    if (pending.kind === "pointerdown") {
      target.dispatchEvent(
        new window.PointerEvent("pointerdown", {
          bubbles: true,
          cancelable: true,
          button: 0,
          isPrimary: true,
          pointerType: pending.pointerType,
        }),
      );
    } else if (pending.kind === "keydown") {
      target.dispatchEvent(
        new window.KeyboardEvent("keydown", { key: pending.key, bubbles: true, cancelable: true }),
      );
    } else if (pending.kind === "click") {
      target.click();
    } else if (pending.kind === "hover" && hovered.current) {
      target.dispatchEvent(
        new window.PointerEvent("pointermove", { bubbles: true, pointerType: "mouse" }),
      );
    }
    // "focus": the layout effect above focused the real trigger, which opens a tooltip.
  }, [Real]);

  if (Real) {
    return <Real {...props} trigger={<Slot.Root ref={setNode}>{trigger}</Slot.Root>} />;
  }

  // Slot merges these into the trigger's own props: its handlers run first, then these.
  const light: Omit<TriggerProps, "ref"> & Record<string, unknown> = {
    "data-state": "closed",
    ...(opensOn !== "tooltip" && {
      "aria-haspopup": opensOn,
      "aria-expanded": false,
    }),
    ...(slow && {
      "aria-busy": true,
      className: "cursor-progress animate-pulse motion-reduce:animate-none",
    }),
    onFocus: () => {
      focused.current = true;
      if (opensOn === "tooltip") activate({ kind: "focus" });
      else preload();
    },
    onBlur: () => {
      focused.current = false;
    },
    onPointerEnter: (event: PointerEvent<HTMLElement>) => {
      if (event.pointerType === "touch") return;
      hovered.current = true;
      if (opensOn === "tooltip") activate({ kind: "hover" });
      else preload();
    },
    onPointerLeave: () => {
      hovered.current = false;
    },
    onPointerDown: (event: PointerEvent<HTMLElement>) => {
      if (opensOn !== "menu" || event.defaultPrevented) return;
      if (event.button !== 0 || event.ctrlKey) return;
      activate({ kind: "pointerdown", pointerType: event.pointerType });
    },
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      if (opensOn !== "menu" || event.defaultPrevented || !MENU_KEYS.has(event.key)) return;
      // As the real trigger does: no click from Enter or Space, no scroll from Space or ArrowDown.
      event.preventDefault();
      activate({ kind: "keydown", key: event.key });
    },
    onClick: (event: MouseEvent<HTMLElement>) => {
      if (event.defaultPrevented) return;
      if (opensOn === "dialog") activate({ kind: "click" });
      // A click with no pointer behind it (assistive technology) opens a menu too.
      else if (opensOn === "menu" && event.detail === 0)
        activate({ kind: "keydown", key: "Enter" });
    },
  };
  return (
    <Slot.Root ref={setNode} {...light}>
      {trigger}
    </Slot.Root>
  );
}
