import type { ReactNode } from 'react';
import { Alert } from './alert';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="hs-state" role="status" aria-live="polite">
      <span className="hs-spinner" aria-hidden="true" /> {label}
    </div>
  );
}

/** Nothing here yet: what is missing, and (as children) the one thing to do about it. */
export function EmptyState({ title, children, icon }: { title: string; children?: ReactNode; icon?: string }) {
  return (
    <div className="hs-state">
      {icon && (
        <span className="hs-state__icon" aria-hidden="true">
          {icon}
        </span>
      )}
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
