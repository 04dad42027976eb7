import { useEffect, useRef, useState } from 'react';

/**
 * The width an SVG chart lays its text out for: the element's width, but never more than a
 * printed page's (about 640 px of plot): labels placed for that width do not overlap when the
 * page prints narrower than the screen, and the text itself never scales (no viewBox).
 */
export const PRINT_LAYOUT_WIDTH = 640;

export function useLayoutWidth<T extends Element>(fallback = PRINT_LAYOUT_WIDTH): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setWidth(Math.max(1, el.getBoundingClientRect().width));
    read();
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, Math.min(width, PRINT_LAYOUT_WIDTH)];
}

/** A label's width in pixels at the chart text size (about 0.62 em a character, plus padding). */
export const textWidth = (text: string, fontPx = 12) => Math.ceil([...text].length * fontPx * 0.62) + 6;
