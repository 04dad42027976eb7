import { useLazyQuery } from '@apollo/client/react';
import { errorMessage } from '@hindsight/web-data-access';
import { Alert, Button, formatDateTime } from '@hindsight/web-ui';
import { PostmortemHistory } from './postmortem.operations';
import { changedFields, PM_FIELDS, PM_SECTION_INFO, type PmTexts } from './postmortem.sections';
import { Section } from './form-card';

const EMPTY = Object.fromEntries(PM_FIELDS.map((f) => [f, ''])) as PmTexts;

/** Every saved version, newest first, with who saved it and which sections it changed. */
export function PostmortemHistoryPanel({ reference }: { reference: string }) {
  const [load, { data, loading, error, called }] = useLazyQuery(PostmortemHistory, { fetchPolicy: 'network-only' });
  const revisions = data?.incident?.postmortem?.revisions ?? [];
  const rows = revisions.map((r, i) => {
    const texts = Object.fromEntries(PM_FIELDS.map((f) => [f, r[f] ?? ''])) as PmTexts;
    const prev = i === 0 ? EMPTY : (Object.fromEntries(PM_FIELDS.map((f) => [f, revisions[i - 1]?.[f] ?? ''])) as PmTexts);
    return { ...r, changed: changedFields(prev, texts) };
  });
  return (
    <Section id="history" title="Revision history">
      <Button variant="secondary" busy={loading} onClick={() => void load({ variables: { reference } })}>
        {called ? 'Refresh history' : 'Show revision history'}
      </Button>
      {error && <Alert>{errorMessage(error)}</Alert>}
      {called && !loading && !error && rows.length === 0 && <p className="hs-muted">No saved versions yet.</p>}
      {rows.length > 0 && (
        <ol className="hs-list" reversed aria-label="Saved versions, newest first">
          {[...rows].reverse().map((r) => (
            <li key={r.version} value={r.version}>
              Version {r.version} — {r.author?.name ?? 'unknown'}, {formatDateTime(r.createdAt)}: {r.changed.length ? r.changed.map((f) => PM_SECTION_INFO[f].label.replace(' (optional)', '')).join(', ') : 'no text changes'}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
