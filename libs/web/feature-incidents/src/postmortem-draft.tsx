import { useId, useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { Link } from 'react-router';
import { errorMessage, type DraftPostmortemSectionMutation, type PostmortemDraftOutcome } from '@hindsight/web-data-access';
import { Alert, Button } from '@hindsight/web-ui';
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
