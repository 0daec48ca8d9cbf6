"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/** How close to the end still counts as "following" the conversation. */
const FOLLOW_THRESHOLD_PX = 64;

/**
 * Keeps a scroll container pinned to its end while content grows (a streaming answer), and
 * stops following as soon as the user scrolls up to read; scrolling back down resumes it.
 */
export function useStickToBottom() {
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [atBottom, setAtBottom] = useState(true);

  useEffect(() => {
    const scroller = scrollRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    let lastTop = scroller.scrollTop;
    const onScroll = () => {
      const top = scroller.scrollTop;
      const distance = scroller.scrollHeight - top - scroller.clientHeight;
      // Only moving up means "the user is reading": a programmatic jump to the end can report
      // its scroll event after more content arrived, which must not stop the following.
      if (distance <= FOLLOW_THRESHOLD_PX) following.current = true;
      else if (top < lastTop - 1) following.current = false;
      lastTop = top;
      setAtBottom(distance <= FOLLOW_THRESHOLD_PX);
    };
    const observer = new ResizeObserver(() => {
      if (following.current) scroller.scrollTop = scroller.scrollHeight;
    });
    scroller.addEventListener("scroll", onScroll, { passive: true });
    observer.observe(content);
    scroller.scrollTop = scroller.scrollHeight;
    return () => {
      scroller.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, []);

  /** Jumps to the end and follows again (after sending, or from the "scroll down" button). */
  const scrollToBottom = useCallback(() => {
    const scroller = scrollRef.current;
    following.current = true;
    setAtBottom(true);
    // Instant, not smooth: intermediate scroll events would read as the user scrolling up.
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }, []);

  return { scrollRef, contentRef, atBottom, scrollToBottom };
}
