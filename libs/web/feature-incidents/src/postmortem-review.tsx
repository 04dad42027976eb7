import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client';
import { publishBlockers } from '@hindsight/domain';
import { errorMessage, useSignedDownload, type PostmortemContentFragment, type PostmortemEditorDataQuery, type ReviewVerdict } from '@hindsight/web-data-access';
import { Alert, Badge, Button, formatDateTime, labelOf, TextAreaField } from '@hindsight/web-ui';
import { PublishPostmortem, RequestPostmortemReview, ReviewPostmortem } from './postmortem.operations';
import { Section } from './form-card';

type Data = NonNullable<PostmortemEditorDataQuery['incident']>;

const VERDICT_TONE = { PENDING: 'neutral', APPROVED: 'ok', CHANGES_REQUESTED: 'warning' } as const;

/** The reasons the API gave for refusing to publish (extensions.blockers), one per line. */
function refusedBlockers(error: unknown): string[] {
  if (!CombinedGraphQLErrors.is(error)) return [];
  const blockers = error.errors[0]?.extensions?.['blockers'];
  return Array.isArray(blockers) ? blockers.map(String) : [];
}

export function ReviewPanel({ incident, pm, users, userId, editable }: { incident: Data; pm: PostmortemContentFragment; users: { id: string; name: string; active: boolean }[]; userId: string; editable: boolean }) {
  const mine = pm.reviews.find((r) => r.reviewer.id === userId);
  return (
    <Section id="review" title="Review and publication">
      {pm.reviews.length === 0 ? (
        <p className="hs-muted">No reviewers yet.</p>
      ) : (
        <ul className="hs-list" aria-label="Reviewers">
          {pm.reviews.map((r) => (
            <li key={r.reviewer.id} data-reviewer={r.reviewer.name}>
              {r.reviewer.name} <Badge tone={VERDICT_TONE[r.verdict]}>{labelOf('ReviewVerdict', r.verdict)}</Badge>
              {r.decidedAt && <span className="hs-muted hs-small"> {formatDateTime(r.decidedAt)}</span>}
              {r.comment && <div className="hs-prewrap hs-small">“{r.comment}”</div>}
            </li>
          ))}
        </ul>
      )}
      {mine && pm.status === 'IN_REVIEW' && <VerdictForm incidentId={incident.id} current={mine.verdict} />}
      {editable && pm.status !== 'PUBLISHED' && <RequestReviewForm incidentId={incident.id} users={users.filter((u) => u.active)} already={pm.reviews.map((r) => r.reviewer.id)} />}
      {editable && pm.status !== 'PUBLISHED' && <PublishBlock incident={incident} pm={pm} />}
      {pm.status === 'PUBLISHED' && (
        <Alert tone="success">
          Published {formatDateTime(pm.publishedAt)}
          {pm.publishedBy ? ` by ${pm.publishedBy.name}` : ''}. Later edits are kept as amendments in the revision history.
        </Alert>
      )}
      <ExportButton reference={incident.reference} />
    </Section>
  );
}

function VerdictForm({ incidentId, current }: { incidentId: string; current: ReviewVerdict }) {
  const [comment, setComment] = useState('');
  const [review, { loading, error }] = useMutation(ReviewPostmortem);
  const send = (verdict: ReviewVerdict) => void review({ variables: { incidentId, verdict, comment: comment.trim() || null } }).catch(() => undefined);
  return (
    <form className="hs-subform" aria-label="Your review" onSubmit={(e) => e.preventDefault()} noValidate>
      <h3>Your review</h3>
      <p className="hs-muted">You were asked to review this postmortem. Your verdict: {labelOf('ReviewVerdict', current)}.</p>
      {error && <Alert>{errorMessage(error)}</Alert>}
      <TextAreaField label="Review comment (optional)" value={comment} onChange={(e) => setComment(e.target.value)} rows={2} />
      <div className="hs-row">
        <Button busy={loading} onClick={() => send('APPROVED')}>
          Approve
        </Button>
        <Button variant="secondary" busy={loading} onClick={() => send('CHANGES_REQUESTED')}>
          Request changes
        </Button>
      </div>
    </form>
  );
}

function RequestReviewForm({ incidentId, users, already }: { incidentId: string; users: { id: string; name: string }[]; already: string[] }) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [request, { loading, error }] = useMutation(RequestPostmortemReview);
  const onSubmit = async () => {
    setDone(null);
    const ok = await request({ variables: { incidentId, reviewerIds: chosen } }).then(
      () => true,
      () => false,
    );
    if (ok) {
      setChosen([]);
      setDone('Review requested.');
    }
  };
  return (
    <form
      className="hs-subform"
      aria-label="Request a review"
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
      noValidate
    >
      <h3>Request a review</h3>
      {error && <Alert>{errorMessage(error)}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
      <fieldset className="hs-fieldset">
        <legend>Reviewers (asking someone again resets their verdict)</legend>
        <div className="hs-checks">
          {users.map((u) => (
            <label key={u.id}>
              <input type="checkbox" checked={chosen.includes(u.id)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, u.id] : c.filter((id) => id !== u.id)))} /> {u.name}
              {already.includes(u.id) ? ' (again)' : ''}
            </label>
          ))}
        </div>
      </fieldset>
      <Button type="submit" busy={loading} disabled={chosen.length === 0}>
        Request review
      </Button>
    </form>
  );
}

function PublishBlock({ incident, pm }: { incident: Data; pm: PostmortemContentFragment }) {
  const [publish, { loading, error }] = useMutation(PublishPostmortem);
  // The same rule the API applies, so the writer sees what is missing before trying.
  const expected = publishBlockers(pm, {
    factorCount: incident.contributingFactors.length,
    hasTriggerFactor: incident.contributingFactors.some((f) => f.isTrigger),
    actionItemCount: incident.actionItems.length,
    noActionNeededReason: pm.noActionReason,
    reviews: pm.reviews,
  });
  const refused = refusedBlockers(error);
  return (
    <div className="hs-subform">
      <h3>Publish</h3>
      {expected.length === 0 ? (
        <p>Everything publishing needs is in place.</p>
      ) : (
        <>
          <p>Before it can be published:</p>
          <ul className="hs-blockers" aria-label="What publishing still needs">
            {expected.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <Alert title="Not published.">
          {refused.length ? (
            <ul className="hs-blockers" aria-label="Why publishing was refused">
              {refused.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          ) : (
            errorMessage(error)
          )}
        </Alert>
      )}
      <Button busy={loading} onClick={() => void publish({ variables: { incidentId: incident.id } }).catch(() => undefined)}>
        Publish postmortem
      </Button>
    </div>
  );
}

/** The postmortem as a Markdown file. */
function ExportButton({ reference }: { reference: string }) {
  const { busy, error, download } = useSignedDownload();
  return (
    <div className="hs-subform">
      <h3>Export</h3>
      {error && <Alert>{error}</Alert>}
      <Button variant="secondary" busy={busy} onClick={() => void download(`/incidents/${encodeURIComponent(reference)}/postmortem.md`, `${reference}-postmortem.md`)}>
        Download as Markdown
      </Button>
    </div>
  );
}
