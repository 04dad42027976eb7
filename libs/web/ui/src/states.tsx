import type { ReactNode } from 'react';
import { Alert } from './alert';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="hs-state" role="status" aria-live="polite">
      <span className="hs-spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="hs-state">
      <p>
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <Alert tone="error" title="Could not load this page.">
      {message}{' '}
      {onRetry && (
        <button type="button" className="hs-button hs-button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </Alert>
  );
}
