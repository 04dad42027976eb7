import type { ButtonHTMLAttributes, Ref } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'danger';
  busy?: boolean;
  /** React 19 passes ref as a prop (e.g. to move focus to a confirm button). */
  ref?: Ref<HTMLButtonElement>;
}

export function Button({ variant = 'primary', busy = false, disabled, children, className, type = 'button', ...rest }: ButtonProps) {
  const classes = ['hs-button', variant !== 'primary' ? `hs-button--${variant}` : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy && <span className="hs-spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}
