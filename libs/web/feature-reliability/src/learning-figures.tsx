import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { hasAtLeast } from '@hindsight/domain';
import { appendToList, errorMessage, graphql, useSession, type ReliabilityFilter } from '@hindsight/web-data-access';
import { Alert, Badge, Button, ErrorState, LoadingState, Table, TextField } from '@hindsight/web-ui';

export const NamedThemesQuery = graphql(`
  query NamedThemesList {
    namedThemes {
      id
      name
      incidents
    }
  }
`);

export const NameTheme = graphql(`
  mutation NameTheme($name: String!) {
    createTheme(name: $name) {
      id
      name
      incidents
    }
  }
`);

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
          <Table
            label="Themes against the period before"
            rows={r.themes}
            rowKey={(t) => t.key}
            columns={[
              { key: 'theme', header: 'Theme', rowHeader: true, render: (t) => t.label },
              { key: 'count', header: 'Incidents (95 % interval)', render: (t) => `${t.count} (${t.countLow.toFixed(1)}–${t.countHigh.toFixed(1)})` },
              { key: 'before', header: 'Period before', align: 'end', render: (t) => t.previousCount },
              { key: 'change', header: 'Change', render: (t) => <Badge tone={CHANGE_TONE[t.change] ?? 'neutral'}>{CHANGE[t.change] ?? t.change}</Badge> },
              {
                key: 'incidents',
                header: 'Incidents',
                render: (t) => (
                  <>
                    {t.incidents.slice(0, 5).map((i, k) => (
                      <span key={i.id}>
                        {k > 0 && ', '}
                        <Link to={`/incidents/${i.reference}`}>{i.reference}</Link>
                      </span>
                    ))}
                    {t.incidents.length > 5 && ` and ${t.incidents.length - 5} more`}
                  </>
                ),
              },
            ]}
          />
        )}
        <NamedThemes />
      </section>
      <section className="hs-card" aria-labelledby="fixes-held">
        <h2 id="fixes-held">Fixes that held</h2>
        <p className="hs-muted">
          Done action items of the period that address a factor or safeguard: held when no incident with the same service and factor category (or the
          same safeguard kind) started within the days the fix-held policy sets (90 unless an ADMIN changed it). Below 5 judged items a team&apos;s
          share is “too few to tell”.
        </p>
        {r.fixesHeld.length === 0 ? (
          <p>No action item addressing a factor or safeguard was done in this period.</p>
        ) : (
          <Table
            label="Fixes per team"
            rows={r.fixesHeld}
            rowKey={(f) => f.team.id}
            columns={[
              { key: 'team', header: 'Team', rowHeader: true, render: (f) => f.team.name },
              { key: 'share', header: 'Share held', render: (f) => `${share(f.heldShare) ?? 'too few to tell'} (of ${f.sampleSize})` },
              { key: 'held', header: 'Held', align: 'end', render: (f) => f.held },
              { key: 'recurred', header: 'Recurred', align: 'end', render: (f) => f.recurred },
              { key: 'early', header: 'Too early to tell', align: 'end', render: (f) => f.tooEarly },
            ]}
          />
        )}
      </section>
      <section className="hs-card" aria-labelledby="near-misses">
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
        <section className="hs-card" aria-labelledby="review-checklist">
          <h2 id="review-checklist">Review checklist by team</h2>
          <Table
            label="Checklist items met per team"
            rows={r.checklistByTeam}
            rowKey={(t) => t.team.id}
            columns={[
              { key: 'team', header: 'Team', rowHeader: true, render: (t) => t.team.name },
              { key: 'postmortems', header: 'Postmortems', align: 'end', render: (t) => t.postmortems },
              ...r.checklistByTeam[0].items.map((item, index) => ({
                key: `item-${item.key}`,
                header: item.label,
                render: (t: (typeof r.checklistByTeam)[number]) => {
                  const met = t.items.find((i) => i.key === item.key) ?? t.items[index];
                  return met ? `${met.met} of ${t.postmortems}` : '—';
                },
              })),
            ]}
          />
        </section>
      )}
    </>
  );
}

/**
 * Themes named by hand, with how many incidents carry each; COMMANDERs and above name new ones
 * here and tag incidents on the incident page (its Themes panel).
 */
function NamedThemes() {
  const { user } = useSession();
  const { data, error, refetch } = useQuery(NamedThemesQuery);
  const [name, setName] = useState('');
  const [create, creating] = useMutation(NameTheme, { update: (cache, { data: created }) => appendToList(cache, 'ROOT_QUERY', 'namedThemes', created?.createTheme) });
  const canName = !!user && hasAtLeast(user.role, 'COMMANDER');
  const themes = data?.namedThemes ?? [];
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create({ variables: { name: name.trim() } })
      .then(() => setName(''))
      .catch(() => null);
  };
  return (
    <div className="hs-no-print">
      <h3 id="named-themes">Named themes</h3>
      {error && !data ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : themes.length === 0 ? (
        <p className="hs-muted">No theme named yet. A named theme is a pattern the categories miss; tag incidents with it on their page.</p>
      ) : (
        <ul className="hs-list" aria-labelledby="named-themes">
          {themes.map((t) => (
            <li key={t.id}>
              <Badge tone="info">{t.name}</Badge> {t.incidents} incident{t.incidents === 1 ? '' : 's'} tagged
            </li>
          ))}
        </ul>
      )}
      {canName && (
        <form className="hs-row" aria-label="Name a theme" onSubmit={onSubmit} noValidate>
          <TextField label="Theme name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          <Button type="submit" disabled={!name.trim()} busy={creating.loading}>
            Name theme
          </Button>
        </form>
      )}
      {creating.error && <Alert>{errorMessage(creating.error)}</Alert>}
      {creating.data && !creating.error && <Alert tone="success">Theme “{creating.data.createTheme.name}” named; tag incidents with it on their page.</Alert>}
    </div>
  );
}
