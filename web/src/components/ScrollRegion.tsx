import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Box } from '@mantine/core';

/**
 * Horizontal scroll container for wide tables. When (and only when) its
 * content overflows it becomes a named, keyboard-focusable region so people
 * without a mouse can scroll it too.
 */
export function ScrollRegion({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflowing, setOverflowing] = useState(false);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const check = () => setOverflowing(element.scrollWidth > element.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return (
    <Box
      ref={ref}
      style={{ overflowX: 'auto' }}
      {...(overflowing ? { tabIndex: 0, role: 'region', 'aria-label': label } : {})}
    >
      <Box miw={minWidth}>{children}</Box>
    </Box>
  );
}
