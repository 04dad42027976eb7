import './incidents.css';
import { useState } from 'react';
import { POSTMORTEM_SECTION_TITLES } from '@hindsight/domain';
import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';
import { errorMessage, useSession, type SessionUserFragment } from '@hindsight/web-data-access';
import { Alert, Badge, Button, EmptyState, ErrorState, formatDate, labelOf, LoadingState } from '@hindsight/web-ui';
import { PostmortemDrafting, PostmortemEditorData } from './postmortem.operations';
import { DraftPanel, FactorsDraftPanel } from './postmortem-draft';
import { canEditIncidents } from './incident.view';
import { SeverityBadge, StatusBadge } from './badges';
import { usePostmortemDraft } from './postmortem.autosave';
import { ConflictPanel, SaveIndicator, SectionEditor } from './postmortem-editor';
import { PM_SECTION_INFO, type PmField } from './postmortem.sections';
import { ReviewPanel } from './postmortem-review';
import { ReviewChecklistPanel, SimilarIncidentsPanel } from './learning.panels';
import { PostmortemHistoryPanel } from './postmortem-history';
import { PostmortemDocument, type DocIncident, type DocPostmortem } from './postmortem-document';
import { commentRights, ReviewSummary, SectionComments } from './postmortem-comments';


export function PostmortemPage() {
  const { reference = '' } = useParams();
  const { user } = useSession();
  const { data, error, refetch } = useQuery(PostmortemEditorData, { variables: { reference } });

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
  return (
    <>
      <nav aria-label="Breadcrumb" className="hs-small hs-no-print">
        <Link to="/incidents">Incidents</Link> / <Link to={`/incidents/${incident.reference}`}>{incident.reference}</Link> / Postmortem
      </nav>
      <header className="hs-incident-head hs-pm-doc__head">
        <div>
          <h1>
            Postmortem: <span className="hs-ref">{incident.reference}</span> {incident.title}
          </h1>
          <p className="hs-badges">
            <SeverityBadge severity={incident.severity} /> <StatusBadge status={incident.status} />{' '}
            <Badge tone={pm.status === 'PUBLISHED' ? 'ok' : pm.status === 'IN_REVIEW' ? 'info' : 'neutral'}>Postmortem {labelOf('PostmortemStatus', pm.status)}</Badge>
            {pm.dueAt && pm.status !== 'PUBLISHED' && <Badge tone={new Date(pm.dueAt).getTime() < Date.now() ? 'danger' : 'neutral'}>Due {formatDate(pm.dueAt)}</Badge>}
          </p>
          <dl className="hs-pm-doc__facts">
            <dt>Commander</dt>
            <dd>{incident.commander?.name ?? '—'}</dd>
            <dt>Services</dt>
            <dd>{incident.services.map((s) => s.name).join(', ') || '—'}</dd>
            {pm.publishedAt && (
              <>
                <dt>Published</dt>
                <dd>{formatDate(pm.publishedAt)}</dd>
              </>
            )}
          </dl>
        </div>
        <div className="hs-row hs-no-print">
          <Button variant="secondary" onClick={() => window.print()}>
            Print
          </Button>
        </div>
      </header>
      {/* Keyed by postmortem so a different incident starts a fresh draft and a fresh mode. */}
      <PostmortemBody key={pm.id} incident={incident} pm={pm} user={user} users={data.users} />
    </>
  );
}

type Mode = 'read' | 'review' | 'write';

/**
 * The document opens in the mode its state asks for, and changes only when the reader asks:
 * a draft opens in the writer for those who edit; an in-review postmortem opens in review
 * mode (its reviewers are never offered the writer); a published one reads as a document,
 * and amending it is a deliberate step.
 */
function PostmortemBody({ incident, pm, user, users }: { incident: DocIncident; pm: DocPostmortem; user: SessionUserFragment; users: { id: string; name: string; active: boolean }[] }) {
  const editable = canEditIncidents(user);
  const isReviewer = pm.reviews.some((r) => r.reviewer.id === user.id);
  const mayWrite = editable && !(pm.status === 'IN_REVIEW' && isReviewer);
  const [opened] = useState<Mode>(() => (pm.status === 'PUBLISHED' ? 'read' : pm.status === 'IN_REVIEW' || !editable ? 'review' : 'write'));
  const [chosen, setChosen] = useState<Mode | null>(null);
  let mode: Mode = chosen ?? opened;
  if (mode === 'write' && !mayWrite) mode = pm.status === 'PUBLISHED' ? 'read' : 'review';
  // Once published (by this reader, say), it reads as the document unless they chose to amend it.
  if (pm.status === 'PUBLISHED' && chosen !== 'write') mode = 'read';
  const rights = commentRights({ id: user.id, role: user.role, teamIds: user.teams.map((t) => t.id) }, incident, pm);
  const comments = (section: Parameters<typeof SectionComments>[0]['section'], title: string) =>
    mode === 'read' && !pm.comments.some((c) => c.section === section) ? null : (
      <SectionComments section={section} title={title} incidentId={incident.id} postmortemId={pm.id} comments={pm.comments} canComment={rights.canComment && pm.status !== 'PUBLISHED'} canResolve={rights.canResolve} />
    );
  return (
    <div className="hs-stack">
      {mayWrite && mode !== 'write' && (
        <p className="hs-no-print">
          <Button variant="secondary" onClick={() => setChosen('write')}>
            {pm.status === 'PUBLISHED' ? 'Amend the published postmortem' : 'Edit the text'}
          </Button>{' '}
          {pm.status === 'PUBLISHED' && <span className="hs-muted hs-small">Amendments are saved as new versions; the publication date stays.</span>}
        </p>
      )}
      {mode === 'write' && pm.status !== 'PUBLISHED' && (
        <p className="hs-no-print">
          <Button variant="secondary" onClick={() => setChosen('review')}>
            Read as reviewers see it
          </Button>
        </p>
      )}
      {mode === 'review' && <ReviewSummary incident={incident} pm={pm} titles={POSTMORTEM_SECTION_TITLES} />}
      {mode === 'write' ? <PostmortemWriter userId={user.id} incident={incident} initial={pm} comments={comments} /> : <PostmortemDocument incident={incident} pm={pm} marks={mode === 'review'} aside={comments} />}
      <div className="hs-stack hs-no-print">
        <ReviewChecklistPanel incidentId={incident.id} />
        <ReviewPanel incident={incident} pm={pm} users={users} userId={user.id} editable={editable} />
        {mode === 'write' && <SimilarIncidentsPanel incidentId={incident.id} />}
        <PostmortemHistoryPanel reference={incident.reference} />
      </div>
    </div>
  );
}

function PostmortemWriter({ userId, incident, initial, comments }: { userId: string; incident: DocIncident; initial: DocPostmortem; comments: NonNullable<Parameters<typeof PostmortemDocument>[0]['aside']> }) {
  const { draft, state, dirty, edit, resolve, saveNow, recovered, restore, discard } = usePostmortemDraft(userId, incident.id, incident.reference, initial);
  const locked = new Set(state.kind === 'conflict' ? state.conflicts.map((c) => c.field) : []);
  const fieldError = (f: string) => (state.kind === 'failed' ? (state.fields.find((p) => p.field.replace(/^input\./, '') === f)?.message ?? null) : null);
  const lockedBecause = (f: PmField) => (recovered ? 'Restore or discard the unsaved text above first.' : locked.has(f) ? 'Resolve the conflict above before editing this section again.' : null);
  // "Draft with AI" only where the server has a model (AI_BASE_URL) and drafts that section.
  const drafting = useQuery(PostmortemDrafting).data?.postmortemDrafting;
  const draftable = new Set(drafting?.enabled ? drafting.sections : []);
  // View first: the draft reads as the document; a section opens for writing in place by its Edit
  // button (a refused save opens the section it concerns), and "Done" or Escape folds it back.
  const [open, setOpen] = useState<ReadonlySet<PmField>>(() => new Set());
  const [focused, setFocused] = useState<PmField | null>(null);
  const openSection = (f: PmField) => {
    setOpen((all) => new Set(all).add(f));
    setFocused(f);
  };
  const closeSection = (f: PmField) =>
    setOpen((all) => {
      const next = new Set(all);
      next.delete(f);
      return next;
    });
  const isOpen = (f: PmField) => open.has(f) || fieldError(f) !== null;
  const editor = (f: PmField) => (
    <SectionEditor
      key={f}
      field={f}
      value={draft[f]}
      onChange={(v) => edit(f, v)}
      lockedBecause={lockedBecause(f)}
      error={fieldError(f)}
      onDone={() => closeSection(f)}
      focus={focused === f}
      draft={draftable.has(f) ? <DraftPanel incidentId={incident.id} reference={incident.reference} section={f} label={PM_SECTION_INFO[f].label} current={draft[f]} onUse={(v) => edit(f, v)} /> : undefined}
    />
  );
  const noActionReason = isOpen('noActionReason') ? (
    editor('noActionReason')
  ) : (
    <p className="hs-pm-doc__no-action hs-no-print">
      <Button variant="secondary" className="hs-button--small" onClick={() => openSection('noActionReason')}>
        {draft.noActionReason.trim() ? 'Edit why no action is needed' : 'No action needed? Say why'}
      </Button>
    </p>
  );
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
      {/* The written sections are edited in place; what is recorded on the incident reads as it will be published. */}
      <PostmortemDocument
        incident={incident}
        pm={{ ...initial, ...draft }}
        editor={(section) => (isOpen(section) ? editor(section) : null)}
        onEdit={openSection}
        aside={(section, title) => (
          <>
            {section === 'actionItems' && noActionReason}
            {section === 'contributingFactors' && draftable.has('contributingFactors') && <FactorsDraftPanel incidentId={incident.id} reference={incident.reference} />}
            {comments(section, title)}
          </>
        )}
      />
      <p className="hs-muted hs-small">
        The timeline, factors, safeguards, hypotheses and action items are recorded on <Link to={`/incidents/${incident.reference}`}>the incident page</Link>.
      </p>
    </>
  );
}
