import { useEffect, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';

const printing = () => typeof window !== 'undefined' && !!window.matchMedia?.('print').matches;

export interface WhenNearProps {
  children: ReactNode;
  /** The placeholder's height until the children are built, about theirs: the scrollbar barely moves when they arrive. */
  minHeight: number;
  /** How far below (or above) the window the children start being built, so they are there when scrolled to. */
  margin?: number;
}

/**
 * Builds its children only once they come within `margin` of the window, or when the page is
 * printed: a long page (a report of a dozen charts and tables) shows what is above the fold
 * first and builds the rest as the reader scrolls to it. Printing (the browser's `beforeprint`,
 * or the print media query as a headless browser emulates it) builds everything at once,
 * synchronously, so paper always carries the whole page; the data a section needs should be
 * fetched ahead (see the Reliability page) for the same reason.
 */
export function WhenNear({ children, minHeight, margin = 600 }: WhenNearProps) {
  const [shown, setShown] = useState(printing);
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = holder.current;
    if (shown || !el) return;
    const show = () => flushSync(() => setShown(true));
    const near = typeof IntersectionObserver === 'undefined' ? null : new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setShown(true), { rootMargin: `${margin}px 0px` });
    if (near) near.observe(el);
    else setShown(true);
    const print = window.matchMedia?.('print');
    const onMedia = (e: MediaQueryListEvent) => e.matches && show();
    window.addEventListener('beforeprint', show);
    print?.addEventListener?.('change', onMedia);
    return () => {
      near?.disconnect();
      window.removeEventListener('beforeprint', show);
      print?.removeEventListener?.('change', onMedia);
    };
  }, [shown, margin]);
  return shown ? <>{children}</> : <div ref={holder} className="hs-when-near" style={{ minHeight }} data-testid="when-near" />;
}
