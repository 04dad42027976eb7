import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { blamelessReview } from '@hindsight/domain';
import { Alert, Button, WritePreviewSwitch, type WritePreviewMode } from '@hindsight/web-ui';
import { MarkdownView } from '@hindsight/web-markdown';
import type { SaveState } from './postmortem.autosave';
import { PM_SECTION_INFO, type ConflictEntry, type PmField, type PmTexts } from './postmortem.sections';

/** Blame-laden phrasing in one section, with system-focused wording; advice, never a block. */
export function LanguageHints({ text, label }: { text: string; label: string }) {
  const findings = useMemo(() => blamelessReview(text), [text]);
  return (
    <aside className="hs-hints" aria-label={`Language hints for ${label}`}>
      {findings.length === 0 ? (
        <p className="hs-muted">No blame-laden phrasing found.</p>
      ) : (
        <>
          <p>
            <strong>
              {findings.length} phrase{findings.length === 1 ? '' : 's'} to reconsider
            </strong>{' '}
            <span className="hs-muted">(advice, not a block)</span>
          </p>
          <ul>
            {findings.map((f) => (
              <li key={`${f.start}-${f.rule}`} data-rule={f.rule}>
                <mark>{f.phrase}</mark> — {f.suggestion}
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}

/**
 * One written section opened for writing (view first: the writer shows the document and a section
 * opens here when clicked). `onDone` folds it back into the document; the text is autosaved either way.
 */
export function SectionEditor({
  field,
  value,
  onChange,
  lockedBecause,
  error,
  draft,
  onDone,
  focus = false,
}: {
  field: PmField;
  value: string;
  onChange: (v: string) => void;
  lockedBecause: string | null;
  error?: string | null;
  draft?: ReactNode;
  onDone?: () => void;
  /** Opened by a click: the text takes the focus, where the reader was. */
  focus?: boolean;
}) {
  const [mode, setMode] = useState<WritePreviewMode>('write');
  const id = useId();
  const info = PM_SECTION_INFO[field];
  const text = useRef<HTMLTextAreaElement>(null);
  const focusOnOpen = useRef(focus);
  useEffect(() => {
    if (focusOnOpen.current) text.current?.focus();
  }, []);
  return (
    <section className="hs-card hs-pm-section" aria-labelledby={`${id}-label`} data-section={field}>
      <div className="hs-section__head">
        <h2 id={`${id}-label`}>{info.label}</h2>
        <WritePreviewSwitch label={info.label} mode={mode} onChange={setMode} />
        {onDone && (
          <Button variant="secondary" className="hs-button--small" onClick={onDone}>
            Done<span className="hs-visually-hidden"> with {info.label.toLowerCase()}</span>
          </Button>
        )}
      </div>
      <div className="hs-pm-section__grid">
        <div>
          {mode === 'write' ? (
            <>
              <label htmlFor={`${id}-text`} className="hs-visually-hidden">
                {info.label} (Markdown)
              </label>
              <textarea
                ref={text}
                id={`${id}-text`}
                value={value}
                readOnly={lockedBecause !== null}
                onChange={(e) => onChange(e.target.value)}
                aria-describedby={`${id}-prompt${error ? ` ${id}-error` : ''}`}
                aria-invalid={error ? true : undefined}
                rows={field === 'noActionReason' ? 2 : 6}
                onKeyDown={(e) => {
                  // Escape folds the section back into the document (the text is kept and saved).
                  if (e.key === 'Escape' && onDone) onDone();
                }}
              />
              <p id={`${id}-prompt`} className="hs-field__hint">
                {lockedBecause ?? `${info.prompt} Markdown is supported.`}
              </p>
              {error && (
                <p id={`${id}-error`} className="hs-field__error">
                  {error}
                </p>
              )}
              {lockedBecause === null && draft}
            </>
          ) : (
            <div className="hs-pm-preview" aria-label={`${info.label} preview`} role="region">
              <MarkdownView source={value} emptyText="Nothing written yet." />
            </div>
          )}
        </div>
        <LanguageHints text={value} label={info.label} />
      </div>
    </section>
  );
}

export function SaveIndicator({ state, dirty, onRetry }: { state: SaveState; dirty: boolean; onRetry: () => void }) {
  let text: string;
  switch (state.kind) {
    case 'saved':
      text = dirty ? 'Unsaved changes' : `All changes saved (version ${state.version})`;
      break;
    case 'pending':
      text = 'Unsaved changes — saving shortly';
      break;
    case 'saving':
      text = 'Saving…';
      break;
    case 'conflict':
      text = 'Not saved: someone else changed the same sections. Resolve the conflict below.';
      break;
    case 'failed':
      text = `Not saved: ${state.message}`;
      break;
  }
  return (
    <div className="hs-save-state" role="status" aria-live="polite" data-testid="save-state" data-state={state.kind}>
      {text}{' '}
      {state.kind === 'failed' && (
        <Button variant="secondary" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

/**
 * Both versions of every section that was changed on both sides, side by side, with a
 * merged text the writer edits (starting from their own). Nothing is chosen for them.
 */
export function ConflictPanel({ conflicts, version, onResolve }: { conflicts: ConflictEntry[]; version: number; onResolve: (texts: Partial<PmTexts>) => void }) {
  const [merged, setMerged] = useState<Partial<PmTexts>>(() => Object.fromEntries(conflicts.map((c) => [c.field, c.mine])));
  const headingId = useId();
  return (
    <section className="hs-card hs-conflict" aria-labelledby={headingId} data-testid="conflict-panel">
      <h2 id={headingId}>Someone else saved changes to the same sections</h2>
      <Alert tone="warning">
        Version {version} is now saved and differs from your text in {conflicts.length} section{conflicts.length === 1 ? '' : 's'}. Both versions are shown below; edit the merged text (it starts as yours), then save it. Sections only one of you changed were merged
        automatically.
      </Alert>
      {conflicts.map((c) => {
        const label = PM_SECTION_INFO[c.field].label;
        return (
          <fieldset key={c.field} className="hs-fieldset" data-conflict={c.field}>
            <legend>{label}</legend>
            <div className="hs-conflict__pair">
              <div>
                <strong>Your version</strong>
                <pre data-testid={`mine-${c.field}`}>{c.mine || '(empty)'}</pre>
              </div>
              <div>
                <strong>Their version (saved, version {version})</strong>
                <pre data-testid={`theirs-${c.field}`}>{c.theirs || '(empty)'}</pre>
              </div>
            </div>
            <div className="hs-field">
              <label htmlFor={`${headingId}-${c.field}`}>Merged {label.toLowerCase()}</label>
              <textarea id={`${headingId}-${c.field}`} value={merged[c.field] ?? ''} onChange={(e) => setMerged((m) => ({ ...m, [c.field]: e.target.value }))} rows={6} />
            </div>
            <div className="hs-row">
              <Button variant="secondary" onClick={() => setMerged((m) => ({ ...m, [c.field]: c.mine }))}>
                Use mine
              </Button>
              <Button variant="secondary" onClick={() => setMerged((m) => ({ ...m, [c.field]: c.theirs }))}>
                Use theirs
              </Button>
              <Button variant="secondary" onClick={() => setMerged((m) => ({ ...m, [c.field]: `${c.theirs.trimEnd()}\n\n${c.mine.trim()}` }))}>
                Keep both
              </Button>
            </div>
          </fieldset>
        );
      })}
      <Button onClick={() => onResolve(merged)}>Save merged version</Button>
    </section>
  );
}
