import { useQuery } from '@apollo/client/react';
import { errorMessage, graphql } from '@hindsight/web-data-access';
import { ErrorState, LoadingState } from '@hindsight/web-ui';

export const ModelDraftsReport = graphql(`
  query ModelDraftsReport {
    postmortemDrafting {
      enabled
      model
      draftsPerHour
    }
    postmortemDraftReport {
      sections {
        section
        drafted
        keptAsWritten
        keptAfterEdits
        discarded
        undecided
        keptAsWrittenShare
        keptAfterEditsShare
        discardedShare
      }
      failures {
        code
        count
      }
    }
  }
`);

const percent = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${Math.round(share * 100)} %`);

/** Model-drafted postmortem sections (docs/ai-drafts.md): whether they are on, and how drafts fared per section. */
export function ModelDraftsSection() {
  const { data, error, refetch } = useQuery(ModelDraftsReport);
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading model drafts…" />;
  const { postmortemDrafting: drafting, postmortemDraftReport: report } = data;
  const rows = report.sections.filter((s) => s.drafted > 0);
  return (
    <section className="hs-card" aria-labelledby="model-drafts-heading" data-testid="model-drafts">
      <h2 id="model-drafts-heading">Model drafts</h2>
      <p className="hs-muted">
        {drafting.enabled
          ? `On: ${drafting.model}, at most ${drafting.draftsPerHour} drafts per person an hour. Shares are of the drafts people kept or discarded.`
          : 'Off. Set AI_BASE_URL and AI_MODEL to offer “Draft with AI” in the postmortem editor (docs/ai-drafts.md).'}
      </p>
      {rows.length === 0 ? (
        <p>No drafts yet.</p>
      ) : (
        <table className="hs-table">
          <caption className="hs-visually-hidden">Model drafts per postmortem section</caption>
          <thead>
            <tr>
              <th scope="col">Section</th>
              <th scope="col">Drafted</th>
              <th scope="col">Kept as written</th>
              <th scope="col">Kept after edits</th>
              <th scope="col">Discarded</th>
              <th scope="col">Not decided</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.section} data-section={s.section}>
                <th scope="row">{s.section}</th>
                <td>{s.drafted}</td>
                <td>
                  {s.keptAsWritten} ({percent(s.keptAsWrittenShare)})
                </td>
                <td>
                  {s.keptAfterEdits} ({percent(s.keptAfterEditsShare)})
                </td>
                <td>
                  {s.discarded} ({percent(s.discardedShare)})
                </td>
                <td>{s.undecided}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.failures.length > 0 && (
        <p className="hs-small">
          Not shown: {report.failures.map((f) => `${f.count} ${f.code}`).join(', ')}.
        </p>
      )}
    </section>
  );
}
