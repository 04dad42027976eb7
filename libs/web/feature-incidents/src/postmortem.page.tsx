import './incidents.css';
import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';
import { errorMessage, useSession, type PostmortemContentFragment, type PostmortemEditorDataQuery } from '@hindsight/web-data-access';
import { Alert, Badge, Button, EmptyState, ErrorState, formatDate, LoadingState } from '@hindsight/web-ui';
import { MarkdownView } from '@hindsight/web-markdown';
import { PostmortemEditorData } from './postmortem.operations';
import { canEditIncidents, humanize } from './incident.view';
import { SeverityBadge, StatusBadge } from './badges';
import { usePostmortemDraft } from './postmortem.autosave';
import { ConflictPanel, SaveIndicator, SectionEditor } from './postmortem-editor';
import { ReviewPanel } from './postmortem-review';
import { PostmortemHistoryPanel } from './postmortem-history';
import { PM_FIELDS, PM_SECTION_INFO } from './postmortem.sections';

type Incident = NonNullable<PostmortemEditorDataQuery['incident']>;

export function PostmortemPage() {
  const { reference = '' } = useParams();
  const { user } = useSession();
  const { data, error, refetch } = useQuery(PostmortemEditorData, { variables: { reference } });
  const [amending, setAmending] = useState(false);

  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label={`Loading the postmortem of ${reference}…`} />;
  const incident = data.incident;
  const pm = incident?.postmortem;
  if (!incident || !pm || !user) {
    return (
      <EmptyState title={`There is no postmortem for ${reference}.`}>
        <Link to="/incidents">Back to incidents</Link>
      </EmptyState>
    );
  }
  const editable = canEditIncidents(user);
  // A published postmortem reads as a document; amending it is a deliberate step.
  const writing = editable && (pm.status !== 'PUBLISHED' || amending);
  return (
    <>
      <nav aria-label="Breadcrumb" className="hs-small">
        <Link to="/incidents">Incidents</Link> / <Link to={`/incidents/${incident.reference}`}>{incident.reference}</Link> / Postmortem
      </nav>
      <header className="hs-incident-head">
        <div>
          <h1>
            Postmortem: <span className="hs-ref">{incident.reference}</span> {incident.title}
          </h1>
          <p className="hs-badges">
            <SeverityBadge severity={incident.severity} /> <StatusBadge status={incident.status} />{' '}
            <Badge tone={pm.status === 'PUBLISHED' ? 'ok' : pm.status === 'IN_REVIEW' ? 'info' : 'neutral'}>Postmortem {humanize(pm.status)}</Badge>
            {pm.dueAt && pm.status !== 'PUBLISHED' && <Badge tone={new Date(pm.dueAt).getTime() < Date.now() ? 'danger' : 'neutral'}>Due {formatDate(pm.dueAt)}</Badge>}
          </p>
        </div>
      </header>
      <div className="hs-stack">
        {/* Keyed by postmortem so a different incident starts a fresh draft. */}
        {editable && !writing && (
          <p>
            <Button variant="secondary" onClick={() => setAmending(true)}>
              Amend the published postmortem
            </Button>{' '}
            <span className="hs-muted hs-small">Amendments are saved as new versions; the publication date stays.</span>
          </p>
        )}
        {writing ? <PostmortemWriter key={pm.id} userId={user.id} incident={incident} initial={pm} /> : <PostmortemReader pm={pm} />}
        <ReviewPanel incident={incident} pm={pm} users={data.users} userId={user.id} editable={editable} />
        <PostmortemHistoryPanel reference={incident.reference} />
      </div>
    </>
  );
}

function PostmortemWriter({ userId, incident, initial }: { userId: string; incident: Incident; initial: PostmortemContentFragment }) {
  const { draft, state, dirty, edit, resolve, saveNow, recovered, restore, discard } = usePostmortemDraft(userId, incident.id, incident.reference, initial);
  const locked = new Set(state.kind === 'conflict' ? state.conflicts.map((c) => c.field) : []);
  const fieldError = (f: string) => (state.kind === 'failed' ? (state.fields.find((p) => p.field.replace(/^input\./, '') === f)?.message ?? null) : null);
  return (
    <>
      <div className="hs-pm-status">
        <SaveIndicator state={state} dirty={dirty} onRetry={() => void saveNow()} />
      </div>
      {recovered && (
        <Alert tone="warning" title="Unsaved text from your last visit was found in this browser.">
          Restore it to continue where you left off (if others saved since, you will merge as usual), or discard it.{' '}
          <Button onClick={restore}>Restore my text</Button>{' '}
          <Button variant="secondary" onClick={discard}>
            Discard it
          </Button>
        </Alert>
      )}
      {state.kind === 'conflict' && <ConflictPanel key={state.version} conflicts={state.conflicts} version={state.version} onResolve={resolve} />}
      {PM_FIELDS.map((f) => (
        <SectionEditor key={f} field={f} value={draft[f]} onChange={(v) => edit(f, v)} lockedBecause={recovered ? 'Restore or discard the unsaved text above first.' : locked.has(f) ? 'Resolve the conflict above before editing this section again.' : null} error={fieldError(f)} />
      ))}
    </>
  );
}

/** Read-only: every section rendered as sanitised Markdown. */
function PostmortemReader({ pm }: { pm: PostmortemContentFragment }) {
  return (
    <>
      {PM_FIELDS.filter((f) => f !== 'noActionReason' || pm.noActionReason).map((f) => (
        <section key={f} className="hs-card hs-pm-section" aria-labelledby={`pm-${f}`} data-section={f}>
          <h2 id={`pm-${f}`}>{PM_SECTION_INFO[f].label.replace(' (optional)', '')}</h2>
          <MarkdownView source={pm[f]} emptyText="Not written yet." />
        </section>
      ))}
    </>
  );
}
