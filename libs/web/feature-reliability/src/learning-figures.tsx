import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { errorMessage, graphql, type ReliabilityFilter } from '@hindsight/web-data-access';
import { Badge, ErrorState, LoadingState } from '@hindsight/web-ui';

export const LearningFiguresQuery = graphql(`
  query LearningFiguresView($filter: ReliabilityFilter!) {
    reliabilityReport(filter: $filter) {
      nearMisses {
        nearMisses
        reviewed
        incidents
        reviewedPerIncident
      }
      themes(first: 8) {
        key
        label
        count
        previousCount
        countLow
        countHigh
        change
        incidents {
          id
          reference
        }
      }
      fixesHeld {
        team {
          id
          name
        }
        held
        recurred
        tooEarly
        sampleSize
        heldShare
      }
      checklistByTeam {
        team {
          id
          name
        }
        postmortems
        items {
          key
          label
          met
        }
      }
    }
  }
`);

const CHANGE: Record<string, string> = { UP: 'more than before', DOWN: 'fewer than before', SAME: 'no clear change', TOO_FEW: 'too few to tell' };
const CHANGE_TONE: Record<string, 'danger' | 'ok' | 'neutral'> = { UP: 'danger', DOWN: 'ok', SAME: 'neutral', TOO_FEW: 'neutral' };
const share = (x: number | null | undefined) => (x === null || x === undefined ? null : `${Math.round(x * 100)} %`);

/**
 * What keeps happening (themes with their intervals), whether fixes held, near misses counted
 * apart and the review checklist per team — the learning figures of Reliability and the review.
 */
export function LearningFigures({ filter }: { filter: ReliabilityFilter }) {
  const { data, error, refetch } = useQuery(LearningFiguresQuery, { variables: { filter } });
  const r = data?.reliabilityReport;
  if (error && !r) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!r) return <LoadingState label="Loading what keeps happening…" />;
  const nm = r.nearMisses;
  return (
    <>
      <section className="hs-card hs-print-section" aria-labelledby="themes-figures">
        <h2 id="themes-figures">What keeps happening</h2>
        <p className="hs-muted">
          Factor categories, failed safeguards and named themes of the period&apos;s incidents (near misses apart), with a 95 % interval, against the
          period before. Below 5 incidents in both together it says “too few to tell”.
        </p>
        {r.themes.length === 0 ? (
          <p>No contributing factor or failed safeguard recorded for these incidents yet.</p>
        ) : (
          <table className="hs-table">
            <thead>
              <tr>
                <th scope="col">Theme</th>
                <th scope="col">Incidents (95 % interval)</th>
                <th scope="col">Period before</th>
                <th scope="col">Change</th>
                <th scope="col">Incidents</th>
              </tr>
            </thead>
            <tbody>
              {r.themes.map((t) => (
                <tr key={t.key}>
                  <td>{t.label}</td>
                  <td>
                    {t.count} ({t.countLow.toFixed(1)}–{t.countHigh.toFixed(1)})
                  </td>
                  <td>{t.previousCount}</td>
                  <td>
                    <Badge tone={CHANGE_TONE[t.change] ?? 'neutral'}>{CHANGE[t.change] ?? t.change}</Badge>
                  </td>
                  <td>
                    {t.incidents.slice(0, 5).map((i, k) => (
                      <span key={i.id}>
                        {k > 0 && ', '}
                        <Link to={`/incidents/${i.reference}`}>{i.reference}</Link>
                      </span>
                    ))}
                    {t.incidents.length > 5 && ` and ${t.incidents.length - 5} more`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="hs-card hs-print-section" aria-labelledby="fixes-held">
        <h2 id="fixes-held">Fixes that held</h2>
        <p className="hs-muted">
          Done action items of the period that address a factor or safeguard: held when no incident with the same service and factor category (or the
          same safeguard kind) started in the 90 days after. Below 5 judged items a team&apos;s share is “too few to tell”.
        </p>
        {r.fixesHeld.length === 0 ? (
          <p>No action item addressing a factor or safeguard was done in this period.</p>
        ) : (
          <table className="hs-table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Held for 90 days</th>
                <th scope="col">Held</th>
                <th scope="col">Recurred</th>
                <th scope="col">Too early to tell</th>
              </tr>
            </thead>
            <tbody>
              {r.fixesHeld.map((f) => (
                <tr key={f.team.id}>
                  <td>{f.team.name}</td>
                  <td>{share(f.heldShare) ?? 'too few to tell'} (of {f.sampleSize})</td>
                  <td>{f.held}</td>
                  <td>{f.recurred}</td>
                  <td>{f.tooEarly}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="hs-card hs-print-section" aria-labelledby="near-misses">
        <h2 id="near-misses">Near misses</h2>
        <p>
          {nm.nearMisses} near miss{nm.nearMisses === 1 ? '' : 'es'} (no customer impact), {nm.reviewed} reviewed; {nm.incidents} incident
          {nm.incidents === 1 ? '' : 's'}.{' '}
          {nm.reviewedPerIncident === null || nm.reviewedPerIncident === undefined
            ? ''
            : `${nm.reviewedPerIncident.toFixed(2)} near misses reviewed per incident.`}
        </p>
      </section>
      {r.checklistByTeam.length > 0 && (
        <section className="hs-card hs-print-section" aria-labelledby="review-checklist">
          <h2 id="review-checklist">Review checklist by team</h2>
          <table className="hs-table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Postmortems</th>
                {r.checklistByTeam[0].items.map((i) => (
                  <th scope="col" key={i.key}>
                    {i.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.checklistByTeam.map((t) => (
                <tr key={t.team.id}>
                  <td>{t.team.name}</td>
                  <td>{t.postmortems}</td>
                  {t.items.map((i) => (
                    <td key={i.key}>
                      {i.met} of {t.postmortems}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
