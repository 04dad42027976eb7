import { useId, useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { Link } from 'react-router';
import { FACTOR_CATEGORIES, type FactorCategory } from '@hindsight/domain';
import { errorMessage, type DraftPostmortemSectionMutation, type PostmortemDraftOutcome } from '@hindsight/web-data-access';
import { Alert, Badge, Button, labelOf, SelectField, TextField } from '@hindsight/web-ui';
import { AddContributingFactor } from './incident.operations';
import { DraftPostmortemSection, RecordPostmortemDraftOutcome } from './postmortem.operations';

type Draft = DraftPostmortemSectionMutation['draftPostmortemSection'];

/** The draft's sentences as section text (citations stay in the draft view, not the Markdown). */
export const draftText = (draft: Draft): string => draft.sentences.map((s) => s.text).join(' ');

/**
 * "Draft with AI" for one section (docs/ai-drafts.md): the model's proposal is shown beside the
 * section, never in it, each sentence with links to the timeline events it cites and uncited
 * ones marked. The writer keeps it as written, keeps it to edit, or discards it; that choice is
 * recorded (the acceptance ADMINs see). Nothing is saved until the postmortem is.
 */
export function DraftPanel({ incidentId, reference, section, label, current, onUse }: { incidentId: string; reference: string; section: string; label: string; current: string; onUse: (text: string) => void }) {
  const [draftSection, { loading, error, reset }] = useMutation(DraftPostmortemSection);
  const [record] = useMutation(RecordPostmortemDraftOutcome);
  const [draft, setDraft] = useState<Draft | null>(null);
  const headingId = useId();

  const ask = async () => {
    reset();
    setDraft(null);
    const res = await draftSection({ variables: { incidentId, section } }).catch(() => null);
    if (res?.data) setDraft(res.data.draftPostmortemSection);
  };
  const decide = (outcome: PostmortemDraftOutcome) => {
    if (!draft) return;
    if (outcome !== 'DISCARDED') onUse(current.trim() === '' ? draftText(draft) : `${current.trimEnd()}\n\n${draftText(draft)}`);
    void record({ variables: { id: draft.id, outcome } }).catch(() => undefined);
    setDraft(null);
  };

  // Citations are numbered in order of first appearance, each a link to its event on the incident page.
  const numbers = new Map<string, number>();
  for (const s of draft?.sentences ?? []) for (const id of s.citedEventIds) if (!numbers.has(id)) numbers.set(id, numbers.size + 1);

  return (
    <div className="hs-draft" data-testid={`draft-${section}`}>
      {!draft && (
        <Button variant="secondary" busy={loading} onClick={() => void ask()}>
          {loading ? 'Drafting…' : 'Draft with AI'}
        </Button>
      )}
      {error && (
        <Alert tone="warning" title={`No draft of the ${label.toLowerCase()}`}>
          {errorMessage(error)}
        </Alert>
      )}
      {draft && (
        <section className="hs-draft__proposal" aria-labelledby={headingId}>
          <h3 id={headingId}>
            Proposed {label.toLowerCase()} <span className="hs-muted hs-small">by {draft.model}: a proposal, not saved</span>
          </h3>
          <ol className="hs-draft__sentences">
            {draft.sentences.map((s, i) => (
              <li key={i} data-uncited={s.uncited || undefined}>
                {s.text}{' '}
                {s.citedEventIds.map((id) => (
                  <Link key={id} to={`/incidents/${encodeURIComponent(reference)}#event-${id}`} className="hs-draft__cite" aria-label={`Timeline event ${numbers.get(id)}`}>
                    [{numbers.get(id)}]
                  </Link>
                ))}
                {s.uncited && <span className="hs-draft__uncited"> (uncited: no timeline event supports it)</span>}
                {s.findings.length > 0 && (
                  <ul className="hs-draft__findings">
                    {s.findings.map((f) => (
                      <li key={`${f.rule}-${f.phrase}`} data-rule={f.rule}>
                        <mark>{f.phrase}</mark> — {f.suggestion}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
          {draft.droppedCitations > 0 && <p className="hs-muted hs-small">{draft.droppedCitations} citation(s) to events outside this incident were dropped.</p>}
          <div className="hs-row">
            <Button onClick={() => decide('KEPT')}>Use as written</Button>
            <Button variant="secondary" onClick={() => decide('EDITED')}>
              Use and edit
            </Button>
            <Button variant="secondary" onClick={() => decide('DISCARDED')}>
              Discard
            </Button>
          </div>
        </section>
      )}
    </div>
  );
}

interface ProposedFactor {
  category: FactorCategory;
  description: string;
  citedEventIds: readonly string[];
  uncited: boolean;
  keep: boolean;
}

/**
 * The model answers contributing factors one sentence each, opened by its category in
 * brackets ("[CONFIG_CHANGE] Retries had no backoff."); a missing or unknown category is OTHER.
 */
export function proposedFactors(draft: Draft): ProposedFactor[] {
  return draft.sentences.map((s) => {
    const m = /^\s*\[([A-Z_]+)\]\s*(.*)$/s.exec(s.text);
    const category = m && (FACTOR_CATEGORIES as readonly string[]).includes(m[1]) ? (m[1] as FactorCategory) : 'OTHER';
    return { category, description: (m ? m[2] : s.text).trim(), citedEventIds: s.citedEventIds, uncited: s.uncited, keep: true };
  });
}

/**
 * "Draft with AI" for the contributing factors. Unlike the written sections, factors are
 * records on the incident (a category each), so a kept draft becomes factors: added as
 * written, or after editing each one's category and text (and leaving some out), or discarded.
 * The choice is recorded like any draft's; nothing is added until the writer says so.
 */
export function FactorsDraftPanel({ incidentId, reference }: { incidentId: string; reference: string }) {
  const [draftSection, { loading, error, reset }] = useMutation(DraftPostmortemSection);
  const [record] = useMutation(RecordPostmortemDraftOutcome);
  const [addFactor, adding] = useMutation(AddContributingFactor, { refetchQueries: ['PostmortemEditorData', 'IncidentDetail'] });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [factors, setFactors] = useState<ProposedFactor[]>([]);
  const [editing, setEditing] = useState(false);
  const headingId = useId();

  const ask = async () => {
    reset();
    setDraft(null);
    setEditing(false);
    const res = await draftSection({ variables: { incidentId, section: 'contributingFactors' } }).catch(() => null);
    if (res?.data) {
      setDraft(res.data.draftPostmortemSection);
      setFactors(proposedFactors(res.data.draftPostmortemSection));
    }
  };
  const finish = async (outcome: PostmortemDraftOutcome) => {
    if (!draft) return;
    if (outcome !== 'DISCARDED') {
      for (const f of factors.filter((x) => x.keep && x.description !== '')) {
        await addFactor({ variables: { incidentId, input: { category: f.category, description: f.description, isTrigger: false } } });
      }
    }
    void record({ variables: { id: draft.id, outcome } }).catch(() => undefined);
    setDraft(null);
    setEditing(false);
  };
  const change = (k: number, patch: Partial<ProposedFactor>) => setFactors((fs) => fs.map((f, i) => (i === k ? { ...f, ...patch } : f)));

  const numbers = new Map<string, number>();
  for (const s of draft?.sentences ?? []) for (const id of s.citedEventIds) if (!numbers.has(id)) numbers.set(id, numbers.size + 1);

  return (
    <div className="hs-draft" data-testid="draft-contributingFactors">
      {!draft && (
        <Button variant="secondary" busy={loading} onClick={() => void ask()}>
          {loading ? 'Drafting…' : 'Draft factors with AI'}
        </Button>
      )}
      {error && (
        <Alert tone="warning" title="No draft of the contributing factors">
          {errorMessage(error)}
        </Alert>
      )}
      {adding.error && <Alert>{errorMessage(adding.error)}</Alert>}
      {draft && (
        <section className="hs-draft__proposal" aria-labelledby={headingId}>
          <h3 id={headingId}>
            Proposed contributing factors <span className="hs-muted hs-small">by {draft.model}: a proposal, not added</span>
          </h3>
          <ol className="hs-draft__sentences">
            {factors.map((f, k) => (
              <li key={k} data-uncited={f.uncited || undefined}>
                {editing ? (
                  <div className="hs-row">
                    <label className="hs-check">
                      <input type="checkbox" checked={f.keep} onChange={(e) => change(k, { keep: e.target.checked })} /> Add factor {k + 1}
                    </label>
                    <SelectField
                      label={`Category of factor ${k + 1}`}
                      value={f.category}
                      onChange={(e) => change(k, { category: e.target.value as FactorCategory })}
                      options={FACTOR_CATEGORIES.map((c) => ({ value: c, label: labelOf('FactorCategory', c) }))}
                    />
                    <TextField label={`Factor ${k + 1}`} value={f.description} onChange={(e) => change(k, { description: e.target.value })} />
                  </div>
                ) : (
                  <>
                    <Badge tone="info">{labelOf('FactorCategory', f.category)}</Badge> {f.description}{' '}
                  </>
                )}
                {f.citedEventIds.map((id) => (
                  <Link key={id} to={`/incidents/${encodeURIComponent(reference)}#event-${id}`} className="hs-draft__cite" aria-label={`Timeline event ${numbers.get(id)}`}>
                    [{numbers.get(id)}]
                  </Link>
                ))}
                {f.uncited && <span className="hs-draft__uncited"> (uncited: no timeline event supports it)</span>}
              </li>
            ))}
          </ol>
          {draft.droppedCitations > 0 && <p className="hs-muted hs-small">{draft.droppedCitations} citation(s) to events outside this incident were dropped.</p>}
          <div className="hs-row">
            {editing ? (
              <Button busy={adding.loading} onClick={() => void finish('EDITED').catch(() => null)}>
                Add these factors
              </Button>
            ) : (
              <>
                <Button busy={adding.loading} onClick={() => void finish('KEPT').catch(() => null)}>
                  Add as written
                </Button>
                <Button variant="secondary" onClick={() => setEditing(true)}>
                  Edit before adding
                </Button>
              </>
            )}
            <Button variant="secondary" onClick={() => void finish('DISCARDED')}>
              Discard
            </Button>
          </div>
        </section>
      )}
    </div>
  );
}
