import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'danger' | 'warning' | 'ok' | 'info';

export function Badge({ tone = 'neutral', children, title }: { tone?: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`hs-badge hs-badge--${tone}`} title={title}>
      {children}
    </span>
  );
}
