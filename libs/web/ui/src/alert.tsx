import type { ReactNode } from 'react';

export function Alert({ tone = 'error', title, children }: { tone?: 'error' | 'warning' | 'success' | 'info'; title?: string; children: ReactNode }) {
  // Errors interrupt (role=alert); the other tones are announced politely.
  return (
    <div className={`hs-alert hs-alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title && <strong>{title} </strong>}
      {children}
    </div>
  );
}
