import { useQuery } from '@apollo/client/react';
import { errorMessage, graphql } from '@hindsight/web-data-access';
import { ErrorState, LoadingState, Table } from '@hindsight/web-ui';

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
        <Table
          caption="Model drafts per postmortem section"
          captionHidden
          rows={rows}
          rowKey={(s) => s.section}
          rowData={(s) => ({ 'data-section': s.section })}
          columns={[
            { key: 'section', header: 'Section', rowHeader: true, render: (s) => s.section },
            { key: 'drafted', header: 'Drafted', align: 'end', render: (s) => s.drafted },
            { key: 'kept', header: 'Kept as written', render: (s) => `${s.keptAsWritten} (${percent(s.keptAsWrittenShare)})` },
            { key: 'edited', header: 'Kept after edits', render: (s) => `${s.keptAfterEdits} (${percent(s.keptAfterEditsShare)})` },
            { key: 'discarded', header: 'Discarded', render: (s) => `${s.discarded} (${percent(s.discardedShare)})` },
            { key: 'undecided', header: 'Not decided', align: 'end', render: (s) => s.undecided },
          ]}
        />
      )}
      {report.failures.length > 0 && (
        <p className="hs-small">
          Not shown: {report.failures.map((f) => `${f.count} ${f.code}`).join(', ')}.
        </p>
      )}
    </section>
  );
}
