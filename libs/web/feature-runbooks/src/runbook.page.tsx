import { lazy, Suspense, useEffect, useState } from 'react';
import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';
import { errorCode, errorMessage, fieldProblems, useSession, useSignedDownload, type RunbookPageQuery as RunbookData } from '@hindsight/web-data-access';
import { Alert, Badge, Button, EmptyState, ErrorState, formatDate, formatDateTime, LoadingState, TextField, WritePreviewSwitch, type WritePreviewMode } from '@hindsight/web-ui';
import { MarkRunbookReviewed, RunbookPageQuery, RunbookRevisionQuery, UpdateRunbook } from './runbooks.operations';
import { canEdit, SECTION_PROMPTS, SECTION_TITLES, SECTIONS, VERDICT_LABELS, type Section } from './runbook.view';
import { clearDraft, loadDraft, mergeTexts, saveDraft, textsOf, type Texts } from './runbook.draft';

// The renderer (marked + DOMPurify) is fetched as the page opens, beside the runbook's query,
// not once the runbook has arrived and its sections ask for it: that was a round trip and a
// chunk's evaluation after the data, behind a "Rendering…" spinner (bench:web).
const markdown = import('@hindsight/web-markdown');
// A failed load is reported where a section renders (React.lazy), not as an unhandled rejection.
markdown.catch(() => undefined);
const MarkdownView = lazy(() => markdown.then((m) => ({ default: m.MarkdownView })));

type Runbook = NonNullable<RunbookData['runbook']>;

/** A runbook: its sections, freshness, revisions and diff, feedback from incidents; edit with preview, device autosave and merge. */
export function RunbookPage() {
  const { id = '' } = useParams();
  const { user } = useSession();
  const { data, error, refetch } = useQuery(RunbookPageQuery, { variables: { id }, fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState(() => loadDraft(id) !== null);

  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading the runbook…" />;
  const runbook = data.runbook;
  if (!runbook) {
    return (
      <EmptyState title="There is no such runbook.">
        <Link to="/services">Back to services</Link>
      </EmptyState>
    );
  }
  const editable = canEdit(user, runbook.team.id);
  return (
    <>
      <nav aria-label="Breadcrumb" className="hs-small">
        <Link to="/services">Services</Link> / {runbook.service.name} / Runbooks
      </nav>
      <header className="hs-incident-head">
        <div>
          <h1>{runbook.title}</h1>
          <p className="hs-badges">
            <Badge>{runbook.service.name}</Badge> <Badge tone="info">{runbook.team.name}</Badge> <Badge>Version {runbook.version}</Badge>{' '}
            {runbook.isStale ? <Badge tone="warning">Review due</Badge> : <Badge tone="ok">Reviewed</Badge>}
          </p>
          <p className="hs-muted">
            Next review by {formatDate(runbook.reviewDueAt)} (every {runbook.reviewIntervalDays} days)
            {runbook.lastReviewedAt ? `; last reviewed ${formatDateTime(runbook.lastReviewedAt)}` : ''}.
          </p>
        </div>
        <div className="hs-row">
          {editable && !editing && (
            <>
              <ReviewButton id={runbook.id} />
              <Button variant="secondary" onClick={() => setEditing(true)}>
                Edit runbook
              </Button>
            </>
          )}
          <ExportButton id={runbook.id} title={runbook.title} />
        </div>
      </header>
      <div className="hs-stack">
        {editing ? <RunbookEditor runbook={runbook} onDone={() => setEditing(false)} /> : <RunbookSections runbook={runbook} />}
        <RevisionsSection runbook={runbook} />
        <FeedbackSection runbook={runbook} />
      </div>
    </>
  );
}

/** The runbook as a Markdown file named after its title. */
function ExportButton({ id, title }: { id: string; title: string }) {
  const { busy, error, download } = useSignedDownload();
  const filename = `${title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'runbook'}.md`;
  return (
    <>
      <Button variant="secondary" busy={busy} onClick={() => void download(`/runbooks/${encodeURIComponent(id)}.md`, filename)}>
        Download as Markdown
      </Button>
      {error && <Alert>{error}</Alert>}
    </>
  );
}

function ReviewButton({ id }: { id: string }) {
  // The result carries the review dates and the stale flag (RunbookFields): the cache updates, nothing is read again.
  const [review, state] = useMutation(MarkRunbookReviewed, { variables: { id } });
  return (
    <>
      <Button variant="secondary" busy={state.loading} onClick={() => void review().catch(() => undefined)}>
        Mark reviewed
      </Button>
      {state.error && <Alert>{errorMessage(state.error)}</Alert>}
      {state.data && <span role="status">Marked reviewed.</span>}
    </>
  );
}

function RunbookSections({ runbook }: { runbook: Runbook }) {
  return (
    <Suspense fallback={<LoadingState label="Rendering…" />}>
      {SECTIONS.map((s) => (
        <section key={s} className="hs-card" aria-labelledby={`rb-${s}`}>
          <h2 id={`rb-${s}`}>{SECTION_TITLES[s]}</h2>
          <MarkdownView source={runbook[s]} emptyText="Nothing written yet." />
        </section>
      ))}
    </Suspense>
  );
}

function RunbookEditor({ runbook, onDone }: { runbook: Runbook; onDone: () => void }) {
  const [draft, setDraft] = useState(() => {
    const stored = loadDraft(runbook.id);
    return stored ?? { baseVersion: runbook.version, base: textsOf(runbook), mine: textsOf(runbook) };
  });
  const [conflicts, setConflicts] = useState<Partial<Record<keyof Texts, string>>>({});
  const [note, setNote] = useState('');
  const [resolves, setResolves] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [merged, setMerged] = useState<string | null>(null);
  const [save, saving] = useMutation(UpdateRunbook);
  const [fetchCurrent] = useLazyQuery(RunbookPageQuery, { fetchPolicy: 'network-only' });

  // Autosave to this device: every keystroke is kept until the revision is saved.
  useEffect(() => saveDraft(runbook.id, draft), [runbook.id, draft]);

  const set = (k: keyof Texts, v: string) => setDraft((d) => ({ ...d, mine: { ...d.mine, [k]: v } }));
  const openItems = runbook.actionItems.filter((i) => i.status !== 'DONE' && i.status !== 'WONT_DO');
  const problems = fieldProblems(saving.error);

  const submit = async () => {
    const input: Record<string, string | null> = { title: draft.mine.title };
    for (const s of SECTIONS) input[s] = draft.mine[s] === '' ? null : draft.mine[s];
    try {
      // The result carries the texts, the new revision and the resolved action items: no refetch.
      await save({ variables: { id: runbook.id, expectedVersion: draft.baseVersion, input, note: note || null, resolves } });
      clearDraft(runbook.id);
      onDone();
    } catch (e) {
      if (errorCode(e) !== 'CONFLICT') return;
      const current = (await fetchCurrent({ variables: { id: runbook.id } })).data?.runbook;
      if (!current) return;
      const theirs = textsOf(current);
      const m = mergeTexts(draft.base, draft.mine, theirs);
      setDraft({ baseVersion: current.version, base: theirs, mine: m.texts });
      setConflicts(m.conflicts);
      setMerged(`Someone saved version ${current.version} while you edited. Their changes are merged in; where you both changed a section, yours is kept and theirs is shown below it. Check, then save again.`);
      setConfirming(false);
    }
  };

  return (
    <section className="hs-card" aria-labelledby="rb-edit">
      <h2 id="rb-edit">Edit runbook</h2>
      <p className="hs-muted" role="status">
        Draft kept on this device as you type; saving makes it version {draft.baseVersion + 1}.
      </p>
      {merged && <Alert tone="warning">{merged}</Alert>}
      <TextField label="Title" value={draft.mine.title} onChange={(e) => set('title', e.target.value)} error={problems.find((p) => p.field === 'input.title')?.message} />
      {conflicts.title !== undefined && <p className="hs-field__hint">Their title: {conflicts.title}</p>}
      {SECTIONS.map((s) => (
        <SectionEditor key={s} section={s} value={draft.mine[s]} theirs={conflicts[s]} onChange={(v) => set(s, v)} error={problems.find((p) => p.field === `input.${s}`)?.message} />
      ))}
      {saving.error && errorCode(saving.error) !== 'CONFLICT' && <Alert>{errorMessage(saving.error)}</Alert>}
      {confirming ? (
        <div role="dialog" aria-labelledby="rb-save-title" className="hs-subform">
          <h3 id="rb-save-title">Save version {draft.baseVersion + 1}</h3>
          <TextField label="What changed (note)" value={note} onChange={(e) => setNote(e.target.value)} />
          {openItems.length > 0 && (
            <fieldset>
              <legend>Action items this revision resolves</legend>
              {openItems.map((item) => (
                <label key={item.id} className="hs-check">
                  <input
                    type="checkbox"
                    checked={resolves.includes(item.id)}
                    onChange={(e) => setResolves((r) => (e.target.checked ? [...r, item.id] : r.filter((x) => x !== item.id)))}
                  />{' '}
                  {item.title} ({item.priority}
                  {item.priority === 'P0' || item.priority === 'P1' ? ': stays open until its verification is recorded' : ''})
                </label>
              ))}
            </fieldset>
          )}
          <div className="hs-row">
            <Button busy={saving.loading} onClick={() => void submit()}>
              Save revision
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Back to editing
            </Button>
          </div>
        </div>
      ) : (
        <div className="hs-row">
          <Button onClick={() => setConfirming(true)}>Save…</Button>
          <Button
            variant="secondary"
            onClick={() => {
              clearDraft(runbook.id);
              onDone();
            }}
          >
            Discard changes
          </Button>
        </div>
      )}
    </section>
  );
}

function SectionEditor({ section, value, theirs, onChange, error }: { section: Section; value: string; theirs?: string; onChange: (v: string) => void; error?: string }) {
  const [mode, setMode] = useState<WritePreviewMode>('write');
  const id = `rb-edit-${section}`;
  return (
    <div className="hs-field" data-section={section}>
      <div className="hs-section__head">
        <label htmlFor={id}>{SECTION_TITLES[section]}</label>
        <WritePreviewSwitch label={SECTION_TITLES[section]} mode={mode} onChange={setMode} />
      </div>
      {mode === 'write' ? (
        <textarea id={id} rows={5} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-hint`} aria-invalid={error ? true : undefined} />
      ) : (
        <div role="region" aria-label={`${SECTION_TITLES[section]} preview`}>
          <Suspense fallback={<LoadingState label="Rendering…" />}>
            <MarkdownView source={value} emptyText="Nothing written yet." />
          </Suspense>
        </div>
      )}
      <span id={`${id}-hint`} className="hs-field__hint">
        {SECTION_PROMPTS[section]} Markdown is supported.
      </span>
      {error && <span className="hs-field__error">{error}</span>}
      {theirs !== undefined && (
        <div className="hs-hints" aria-label={`Their ${SECTION_TITLES[section]}`}>
          <p>
            <strong>Their version of this section:</strong>
          </p>
          <pre className="hs-pre">{theirs}</pre>
        </div>
      )}
    </div>
  );
}

function RevisionsSection({ runbook }: { runbook: Runbook }) {
  const [selected, setSelected] = useState<number | null>(null);
  return (
    <section className="hs-card" aria-labelledby="rb-revisions">
      <h2 id="rb-revisions">Revisions</h2>
      <ol className="hs-list" reversed>
        {runbook.revisions.map((r) => (
          <li key={r.version}>
            <strong>Version {r.version}</strong> by {r.editedBy.name}, {formatDateTime(r.editedAt)}
            {r.note ? ` — ${r.note}` : ''}{' '}
            <Button variant="secondary" onClick={() => setSelected(r.version)} aria-pressed={selected === r.version}>
              {r.version > 1 ? `Show changes in version ${r.version}` : 'Read version 1'}
            </Button>
          </li>
        ))}
      </ol>
      {selected !== null && <RevisionView id={runbook.id} version={selected} />}
    </section>
  );
}

function RevisionView({ id, version }: { id: string; version: number }) {
  const { data, error } = useQuery(RunbookRevisionQuery, { variables: { id, version, from: Math.max(1, version - 1) } });
  if (error) return <Alert>{errorMessage(error)}</Alert>;
  const rb = data?.runbook;
  if (!rb?.revision) return <LoadingState label={`Loading version ${version}…`} />;
  return (
    <div role="region" aria-label={`Version ${version}`}>
      {version > 1 && (
        <>
          <h3>
            Changes from version {version - 1} to {version}
          </h3>
          {rb.diff.length === 0 && <p className="hs-muted">No changes to the text (a save with a note or a new interval).</p>}
          {rb.diff.map((d) => (
            <div key={d.section} className="hs-diff" data-section={d.section}>
              <h4>{d.heading}</h4>
              <pre className="hs-pre">
                {d.lines.map((l, i) => (
                  <span key={i} className={`hs-diff__${l.op.toLowerCase()}`}>
                    {l.op === 'ADDED' ? <ins>{`+ ${l.text}`}</ins> : l.op === 'REMOVED' ? <del>{`- ${l.text}`}</del> : `  ${l.text}`}
                    {'\n'}
                  </span>
                ))}
              </pre>
            </div>
          ))}
        </>
      )}
      <h3>Version {version} as saved</h3>
      <Suspense fallback={<LoadingState label="Rendering…" />}>
        <h4>{rb.revision.title}</h4>
        {SECTIONS.map((s) => (
          <div key={s}>
            <h5>{SECTION_TITLES[s]}</h5>
            <MarkdownView source={rb.revision?.[s]} emptyText="Empty." />
          </div>
        ))}
      </Suspense>
    </div>
  );
}

function FeedbackSection({ runbook }: { runbook: Runbook }) {
  return (
    <section className="hs-card" aria-labelledby="rb-feedback">
      <h2 id="rb-feedback">What responders said</h2>
      {runbook.feedback.length === 0 ? (
        <p className="hs-muted">No feedback from incidents yet.</p>
      ) : (
        <ul className="hs-list">
          {runbook.feedback.map((f) => (
            <li key={f.id}>
              <Badge tone={f.verdict === 'HELPED' ? 'ok' : f.verdict === 'NOT_USED' ? 'neutral' : 'warning'}>{VERDICT_LABELS[f.verdict]}</Badge>{' '}
              <Link to={`/incidents/${f.incident.reference}`}>{f.incident.reference}</Link> {f.incident.title} — {f.author.name}, {formatDate(f.createdAt)}
              {f.note ? `: ${f.note}` : ''}
            </li>
          ))}
        </ul>
      )}
      {runbook.nudges.length > 0 && (
        <>
          <h3>Review reminders</h3>
          <ul className="hs-list">
            {runbook.nudges.map((n) => (
              <li key={n.id}>
                {formatDateTime(n.sentAt)}: {n.step.replace('_', ' ').toLowerCase()} to {n.recipient} <Badge tone={n.status === 'FAILED' ? 'danger' : 'neutral'}>{n.status}</Badge>
              </li>
            ))}
          </ul>
        </>
      )}
      {runbook.actionItems.length > 0 && (
        <>
          <h3>Action items for this runbook</h3>
          <ul className="hs-list">
            {runbook.actionItems.map((i) => (
              <li key={i.id}>
                <Link to={`/action-items/${i.id}`}>{i.title}</Link> <Badge tone={i.status === 'DONE' ? 'ok' : 'neutral'}>{i.status}</Badge> {i.priority}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
