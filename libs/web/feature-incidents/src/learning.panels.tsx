import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { PRIORITIES } from '@hindsight/domain';
import { appendToList, errorMessage, graphql, removeFromList, type Priority } from '@hindsight/web-data-access';
import { Alert, Badge, Button, enumOptions, ErrorState, labelOf, LoadingState, SelectField, TextField } from '@hindsight/web-ui';
import { Section } from './form-card';

export const SimilarIncidentsQuery = graphql(`
  query SimilarIncidents($id: ID!) {
    incident(id: $id) {
      id
      similar(first: 5) {
        score
        reasons
        incident {
          id
          reference
          title
          kind
          startedAt
          actionItems {
            id
            title
            status
            committed
            fixOutcome {
              held
              recurredAt
            }
          }
        }
      }
    }
  }
`);

export const IncidentIdeasQuery = graphql(`
  query IncidentIdeas($id: ID!) {
    teams {
      id
      name
    }
    incident(id: $id) {
      id
      actionItems {
        id
        title
        status
        committed
        priority
        wontDoReason
        ownerTeam {
          id
          name
        }
      }
    }
  }
`);

export const CommitIdea = graphql(`
  mutation CommitIdea($id: ID!, $ownerTeamId: ID!, $priority: Priority!) {
    commitActionItem(id: $id, ownerTeamId: $ownerTeamId, priority: $priority) {
      ...ActionItemSummary
      committed
      wontDoReason
    }
  }
`);

export const DropIdea = graphql(`
  mutation DropIdea($id: ID!, $reason: String!) {
    dropActionItemIdea(id: $id, reason: $reason) {
      ...ActionItemSummary
      committed
      wontDoReason
    }
  }
`);

export const PostmortemChecklistQuery = graphql(`
  query PostmortemChecklist($id: ID!) {
    incident(id: $id) {
      id
      postmortem {
        id
        checklist {
          key
          label
          met
          why
        }
      }
    }
  }
`);

const fix = (o: { held?: boolean | null } | null | undefined): string | null =>
  !o ? null : o.held === true ? 'held' : o.held === false ? 'recurred' : 'too early to tell';

/** "Last time we promised X; is it done?": the most similar incidents, why they matched, and their action items. */
export function SimilarIncidentsPanel({ incidentId }: { incidentId: string }) {
  const { data, error, refetch } = useQuery(SimilarIncidentsQuery, { variables: { id: incidentId }, fetchPolicy: 'cache-and-network' });
  const similar = data?.incident?.similar;
  return (
    <Section id="similar" title="Similar incidents">
      {error && !data ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : !similar ? (
        <LoadingState label="Looking for similar incidents…" />
      ) : similar.length === 0 ? (
        <p className="hs-muted">No similar incident yet: matches come from shared services, factor categories, failed safeguards and words.</p>
      ) : (
        <ul className="hs-list">
          {similar.map((s) => (
            <li key={s.incident.id}>
              <Link to={`/incidents/${s.incident.reference}`}>
                {s.incident.reference} {s.incident.title}
              </Link>{' '}
              {s.incident.kind === 'NEAR_MISS' && <Badge tone="info">near miss</Badge>}
              <p className="hs-muted hs-small">{s.reasons.join(' · ')}</p>
              {s.incident.actionItems.length > 0 && (
                <ul className="hs-small">
                  {s.incident.actionItems.map((a) => (
                    <li key={a.id}>
                      {a.title} — <Badge tone={a.status === 'DONE' ? 'ok' : a.status === 'WONT_DO' ? 'neutral' : 'warning'}>{a.committed ? labelOf('ActionStatus', a.status) : 'idea'}</Badge>
                      {fix(a.fixOutcome) && <span className="hs-muted"> ({fix(a.fixOutcome)})</span>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** Proposed actions are ideas until someone commits them (team, priority, due date by policy) or drops them with a reason. */
export function IdeasPanel({ incidentId, editable }: { incidentId: string; editable: boolean }) {
  const { data } = useQuery(IncidentIdeasQuery, { variables: { id: incidentId } });
  const teams = data?.teams ?? [];
  const ideas = (data?.incident?.actionItems ?? []).filter((a) => !a.committed);
  if (ideas.length === 0) return null;
  return (
    <Section id="ideas" title="Ideas (not yet committed)">
      <p className="hs-muted">Ideas are not chased and never overdue. Commit one with a team and a priority, or drop it with a reason.</p>
      <ul className="hs-list">
        {ideas.map((i) => (
          <li key={i.id}>
            {i.title} {i.status === 'WONT_DO' ? <Badge>dropped: {i.wontDoReason}</Badge> : editable && <IdeaActions id={i.id} teamId={i.ownerTeam.id} priority={i.priority} teams={teams} />}
          </li>
        ))}
      </ul>
    </Section>
  );
}

function IdeaActions({ id, teamId, priority, teams }: { id: string; teamId: string; priority: Priority; teams: { id: string; name: string }[] }) {
  const [team, setTeam] = useState(teamId);
  const [p, setP] = useState<Priority>(priority);
  const [reason, setReason] = useState('');
  // Both return the item as the incident page and this panel show it (team, priority, due date, status): the cache updates both.
  const [commit, committing] = useMutation(CommitIdea);
  const [drop, dropping] = useMutation(DropIdea);
  const failure = committing.error ?? dropping.error;
  return (
    <div className="hs-row">
      {failure && <Alert>{errorMessage(failure)}</Alert>}
      <SelectField label="Team" value={team} onChange={(e) => setTeam(e.target.value)} options={teams.map((t) => ({ value: t.id, label: t.name }))} />
      <SelectField label="Priority" value={p} onChange={(e) => setP(e.target.value as Priority)} options={enumOptions('Priority', PRIORITIES)} />
      <Button busy={committing.loading} onClick={() => void commit({ variables: { id, ownerTeamId: team, priority: p } }).catch(() => null)}>
        Commit
      </Button>
      <TextField label="Reason to drop" value={reason} onChange={(e) => setReason(e.target.value)} />
      <Button variant="secondary" busy={dropping.loading} onClick={() => void drop({ variables: { id, reason } }).catch(() => null)}>
        Drop
      </Button>
    </div>
  );
}

/** The SRE book's review checklist, scored on the postmortem as it stands: advice for reviewers, not a gate. */
export function ReviewChecklistPanel({ incidentId }: { incidentId: string }) {
  const { data, error, refetch } = useQuery(PostmortemChecklistQuery, { variables: { id: incidentId }, fetchPolicy: 'cache-and-network' });
  const list = data?.incident?.postmortem?.checklist;
  return (
    <section className="hs-card" aria-labelledby="review-checklist-title">
      <h2 id="review-checklist-title">Review checklist</h2>
      {error && !data ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : !list ? (
        <LoadingState label="Scoring the checklist…" />
      ) : (
        <ul className="hs-list">
          {list.map((c) => (
            <li key={c.key}>
              <Badge tone={c.met ? 'ok' : 'warning'}>{c.met ? 'met' : 'not yet'}</Badge> {c.label}
              {c.why && <span className="hs-muted"> — {c.why}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export const IncidentThemesQuery = graphql(`
  query IncidentThemes($id: ID!) {
    namedThemes {
      id
      name
      incidents
    }
    incident(id: $id) {
      id
      namedThemes {
        id
        name
      }
    }
  }
`);

export const CreateTheme = graphql(`
  mutation CreateTheme($name: String!) {
    createTheme(name: $name) {
      id
      name
      incidents
    }
  }
`);

export const TagIncidentTheme = graphql(`
  mutation TagIncidentTheme($incidentId: ID!, $themeId: ID!) {
    tagIncidentWithTheme(incidentId: $incidentId, themeId: $themeId) {
      id
      name
      incidents
    }
  }
`);

export const UntagIncidentTheme = graphql(`
  mutation UntagIncidentTheme($incidentId: ID!, $themeId: ID!) {
    untagIncidentTheme(incidentId: $incidentId, themeId: $themeId) {
      id
      name
      incidents
    }
  }
`);

/**
 * Themes named by hand (PRODUCT.md 5): a pattern the factor categories do not capture, tagged
 * onto the incidents it covers; Reliability's "what keeps happening" counts it with the others.
 */
export function IncidentThemesPanel({ incidentId, editable }: { incidentId: string; editable: boolean }) {
  const { data, error, refetch } = useQuery(IncidentThemesQuery, { variables: { id: incidentId } });
  const [choice, setChoice] = useState('');
  const [name, setName] = useState('');
  // Each returns the theme with its new count; the incident's list (and the list of all themes, for a new one) change in the cache.
  const incident = { __typename: 'Incident', id: incidentId };
  const [create, creating] = useMutation(CreateTheme, { update: (cache, { data: created }) => appendToList(cache, 'ROOT_QUERY', 'namedThemes', created?.createTheme) });
  const [tag, tagging] = useMutation(TagIncidentTheme, { update: (cache, { data: tagged }) => appendToList(cache, incident, 'namedThemes', tagged?.tagIncidentWithTheme) });
  const [untag, untagging] = useMutation(UntagIncidentTheme, {
    update: (cache, { data: untagged }) => untagged && removeFromList(cache, incident, 'namedThemes', { __typename: 'NamedTheme', id: untagged.untagIncidentTheme.id }),
  });
  const failure = creating.error ?? tagging.error ?? untagging.error;
  const tagged = data?.incident?.namedThemes ?? [];
  const others = (data?.namedThemes ?? []).filter((t) => !tagged.some((x) => x.id === t.id));

  const tagExisting = async () => {
    if (!choice) return;
    await tag({ variables: { incidentId, themeId: choice } });
    setChoice('');
  };
  const nameAndTag = async () => {
    const created = await create({ variables: { name: name.trim() } });
    if (!created.data) return;
    await tag({ variables: { incidentId, themeId: created.data.createTheme.id } });
    setName('');
  };

  return (
    <Section id="themes" title="Themes">
      <p className="hs-muted">
        Name a pattern the factor categories do not capture (“Friday deploys”, “traffic beyond forecast”) and tag the incidents it covers; Reliability
        counts each named theme with the others.
      </p>
      {error && !data ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : !data ? (
        <LoadingState label="Loading themes…" />
      ) : tagged.length === 0 ? (
        <p>No theme tagged on this incident yet.</p>
      ) : (
        <ul className="hs-list" aria-label="Tagged themes">
          {tagged.map((t) => (
            <li key={t.id}>
              <Badge tone="info">{t.name}</Badge>{' '}
              {editable && (
                <Button variant="secondary" aria-label={`Untag ${t.name}`} busy={untagging.loading} onClick={() => void untag({ variables: { incidentId, themeId: t.id } }).catch(() => null)}>
                  Untag
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {failure && <Alert>{errorMessage(failure)}</Alert>}
      {editable && data && (
        <div className="hs-row">
          {others.length > 0 && (
            <>
              <SelectField
                label="Tag with a theme"
                value={choice}
                onChange={(e) => setChoice(e.target.value)}
                options={[{ value: '', label: 'Choose a theme' }, ...others.map((t) => ({ value: t.id, label: `${t.name} (${t.incidents})` }))]}
              />
              <Button disabled={!choice} busy={tagging.loading} onClick={() => void tagExisting().catch(() => null)}>
                Tag
              </Button>
            </>
          )}
          <TextField label="Name a new theme" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          <Button variant="secondary" disabled={!name.trim()} busy={creating.loading} onClick={() => void nameAndTag().catch(() => null)}>
            Name and tag
          </Button>
        </div>
      )}
    </Section>
  );
}
