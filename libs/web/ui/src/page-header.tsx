import type { ReactNode } from 'react';

/** The page's one h1, a line of description and the page's main actions. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="hs-page-header">
      <div>
        <h1>{title}</h1>
        {description && <p>{description}</p>}
      </div>
      {actions && <div className="hs-page-header__actions">{actions}</div>}
    </header>
  );
}
