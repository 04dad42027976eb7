import { useId, type FormEvent, type ReactNode } from 'react';
import { Alert, Button } from '@hindsight/web-ui';

/** A titled form with its general error and success note; fields show their own errors. */
export function FormCard({ title, onSubmit, children, general, done }: { title: string; onSubmit: (e: FormEvent) => void; children: ReactNode; general?: string | null; done?: string | null }) {
  const headingId = useId();
  return (
    <form className="hs-subform" aria-labelledby={headingId} onSubmit={onSubmit} noValidate>
      <h3 id={headingId}>{title}</h3>
      {general && <Alert>{general}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
      {children}
    </form>
  );
}

/** A section of the incident page with a heading that names it for assistive technology. */
export function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="hs-card hs-section" aria-labelledby={`${id}-title`} id={id}>
      <div className="hs-section__head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Only http(s) links become anchors: a stored javascript: URL must never be clickable. */
export function SafeLink({ href, children }: { href: string | null | undefined; children: ReactNode }) {
  if (!href || !/^https?:\/\//i.test(href)) return null;
  return (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  );
}

/** Submit, and Cancel when the form corrects an existing entry in place. */
export function FormButtons({ submitLabel, busy, onCancel }: { submitLabel: string; busy: boolean; onCancel?: () => void }) {
  return (
    <div className="hs-row">
      <Button type="submit" busy={busy}>
        {submitLabel}
      </Button>
      {onCancel && (
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      )}
    </div>
  );
}
