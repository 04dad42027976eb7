import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { verdictCallsForWork, RUNBOOK_VERDICTS, type RunbookVerdict } from '@hindsight/domain';
import { appendToList, errorMessage, useSession, type IncidentRunbooksQuery as PanelData } from '@hindsight/web-data-access';
import { Alert, Badge, Button, labelOf, SelectField, TextField } from '@hindsight/web-ui';
import { CreateRunbookActionItem, IncidentRunbooksQuery, RecordRunbookFeedback } from './runbooks.operations';
import { canEdit, VERDICT_LABELS } from './runbook.view';

type Incident = NonNullable<PanelData['incident']>;
type Runbook = Incident['runbooks'][number];

/** The incident page's runbook panel: the affected services' runbooks during and after the incident, and what responders say of them. */
export function IncidentRunbooksPanel({ incidentId }: { incidentId: string }) {
  const { data, error } = useQuery(IncidentRunbooksQuery, { variables: { id: incidentId }, fetchPolicy: 'cache-and-network' });
  const incident = data?.incident;
  return (
    <section className="hs-card hs-section" aria-labelledby="runbooks-title" id="runbooks">
      <div className="hs-section__head">
        <h2 id="runbooks-title">Runbooks</h2>
      </div>
      {error && <Alert>{errorMessage(error)}</Alert>}
      {incident && incident.runbooks.length === 0 && <p className="hs-muted">The affected services have no runbooks yet; each service's page can start one.</p>}
      {incident?.runbooks.map((r) => <RunbookRow key={r.id} incident={incident} runbook={r} />)}
    </section>
  );
}

function RunbookRow({ incident, runbook }: { incident: Incident; runbook: Runbook }) {
  const { user } = useSession();
  const [verdict, setVerdict] = useState<RunbookVerdict>('HELPED');
  const [note, setNote] = useState('');
  // What is recorded joins the incident's lists in the cache: this panel, the incident page and
  // the postmortem document see it without refetching by name.
  const [record, recording] = useMutation(RecordRunbookFeedback, { update: (cache, { data }) => appendToList(cache, { __typename: 'Incident', id: incident.id }, 'runbookFeedback', data?.recordRunbookFeedback) });
  const [createItem, creatingItem] = useMutation(CreateRunbookActionItem, { update: (cache, { data }) => appendToList(cache, { __typename: 'Incident', id: incident.id }, 'actionItems', data?.createActionItem) });
  const [offer, setOffer] = useState<{ verdict: RunbookVerdict; note: string } | null>(null);
  const mine = incident.runbookFeedback.filter((f) => f.runbook.id === runbook.id);
  const linked = incident.actionItems.filter((i) => i.addressesRunbook?.id === runbook.id);
  // Anyone signed in records feedback; turning it into an action item needs the team's edit rights.
  const mayFileWork = canEdit(user, runbook.team.id);
  const label = `${runbook.title} (${runbook.service.name})`;

  const submit = async () => {
    try {
      await record({ variables: { incidentId: incident.id, runbookId: runbook.id, verdict, note: note || null } });
      setOffer(mayFileWork && verdictCallsForWork(verdict) ? { verdict, note } : null);
      setNote('');
    } catch {
      // Shown below from the mutation's state.
    }
  };

  const createLinked = async () => {
    if (!offer) return;
    try {
      await createItem({
        variables: {
          incidentId: incident.id,
          input: {
            title: `Runbook "${runbook.title}": ${VERDICT_LABELS[offer.verdict].toLowerCase()}`.slice(0, 200),
            description: offer.note || null,
            kind: 'PROCESS',
            priority: 'P2',
            ownerTeamId: runbook.team.id,
            addressesRunbookId: runbook.id,
          },
        },
      });
      setOffer(null);
    } catch {
      // Shown below from the mutation's state.
    }
  };

  return (
    <article className="hs-subform" aria-label={label}>
      <h3>
        <Link to={`/runbooks/${runbook.id}`}>{runbook.title}</Link> <Badge>{runbook.service.name}</Badge> {runbook.isStale && <Badge tone="warning">Review due</Badge>}
      </h3>
      {mine.length > 0 && (
        <ul className="hs-list">
          {mine.map((f) => (
            <li key={f.id}>
              <Badge tone={f.verdict === 'HELPED' ? 'ok' : 'warning'}>{VERDICT_LABELS[f.verdict]}</Badge> {f.author.name}
              {f.note ? `: ${f.note}` : ''}
            </li>
          ))}
        </ul>
      )}
      {linked.length > 0 && (
        <p>
          Linked action items:{' '}
          {linked.map((i) => (
            <Link key={i.id} to={`/action-items/${i.id}`}>
              {i.title} ({labelOf('ActionStatus', i.status)})
            </Link>
          ))}
        </p>
      )}
      {user && (
        <div className="hs-row">
          <SelectField
            label={`How did "${runbook.title}" do?`}
            value={verdict}
            onChange={(e) => setVerdict(e.target.value as RunbookVerdict)}
            options={RUNBOOK_VERDICTS.map((v) => ({ value: v, label: VERDICT_LABELS[v] }))}
          />
          <TextField label="Note" value={note} onChange={(e) => setNote(e.target.value)} />
          <Button variant="secondary" busy={recording.loading} onClick={() => void submit()}>
            Record feedback
          </Button>
        </div>
      )}
      {recording.error && <Alert>{errorMessage(recording.error)}</Alert>}
      {offer && (
        <Alert tone="info">
          Feedback recorded. Turn the gap into tracked work for the {runbook.team.name} team?{' '}
          <Button busy={creatingItem.loading} onClick={() => void createLinked()}>
            Create linked action item
          </Button>
        </Alert>
      )}
      {creatingItem.error && <Alert>{errorMessage(creatingItem.error)}</Alert>}
    </article>
  );
}
