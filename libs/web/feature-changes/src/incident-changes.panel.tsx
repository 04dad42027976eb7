import './changes.css';
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { changeSourceLabel, hasAtLeast, type ChangeSource } from '@hindsight/domain';
import { errorMessage, useSession, type ChangeRole, type IncidentChangeFieldsFragment } from '@hindsight/web-data-access';
import { Alert, Badge, Button, formatDateTime, SelectField } from '@hindsight/web-ui';
import { IncidentChangesQuery, LinkChange, SetChangeWindow, UnlinkChange } from './changes.operations';
import { changeName, windowLabel, windowOptions } from './changes.view';

type Listed = IncidentChangeFieldsFragment['changesBeforeDetection'][number];


/**
 * The incident page's "Changes before detection": production deploys of the affected
 * services in the window up to detection, each a click from being marked as what triggered
 * the incident or contributed to it. Self-contained (its own query and mutations) so the page
 * mounts it with one line.
 */
export function IncidentChangesPanel({ incidentId }: { incidentId: string }) {
  const { user } = useSession();
  const editable = !!user && hasAtLeast(user.role, 'COMMANDER');
  const { data, error } = useQuery(IncidentChangesQuery, { variables: { id: incidentId }, fetchPolicy: 'cache-and-network' });
  const [setWindow, windowState] = useMutation(SetChangeWindow);
  const incident = data?.incident;
  const detection = incident ? (incident.detectedAt ?? incident.startedAt) : null;
  return (
    <section className="hs-card hs-section" aria-labelledby="changes-title" id="changes">
      <div className="hs-section__head">
        <h2 id="changes-title">Changes before detection</h2>
        {incident && editable && (
          <SelectField
            label="Look back"
            value={String(incident.changeWindowMinutes)}
            disabled={windowState.loading}
            onChange={(e) => void setWindow({ variables: { incidentId, minutes: Number(e.target.value) } }).catch(() => undefined)}
            options={windowOptions(incident.changeWindowMinutes)}
          />
        )}
      </div>
      {error && <Alert>{errorMessage(error)}</Alert>}
      {windowState.error && <Alert>{errorMessage(windowState.error)}</Alert>}
      {incident && (
        <p className="hs-muted">
          Production changes to the affected services in the {windowLabel(incident.changeWindowMinutes)} up to {incident.detectedAt ? 'detection' : 'the start'} ({formatDateTime(detection)}), newest
          first, and any change linked to this incident.
        </p>
      )}
      {incident && incident.changesBeforeDetection.length === 0 && (
        <p className="hs-muted">No changes in this window. Deploys arrive from GitHub, GitLab, Argo CD or any tool posting to the changes API.</p>
      )}
      {incident && incident.changesBeforeDetection.length > 0 && (
        <ul className="hs-list hs-changes">
          {incident.changesBeforeDetection.map((listed) => (
            <ChangeRow key={listed.change.id} incidentId={incidentId} listed={listed} editable={editable} />
          ))}
        </ul>
      )}
    </section>
  );
}

const ROLE_BADGE: Record<ChangeRole, { tone: 'danger' | 'warning'; label: string }> = {
  TRIGGERING: { tone: 'danger', label: 'Triggering change' },
  CONTRIBUTING: { tone: 'warning', label: 'Contributing change' },
};

function ChangeRow({ incidentId, listed, editable }: { incidentId: string; listed: Listed; editable: boolean }) {
  const { change, role } = listed;
  // Both return the incident's timeline (IncidentChangeTimeline): the CHANGE event appears or goes from the cache, no refetch.
  const [link, linking] = useMutation(LinkChange);
  const [unlink, unlinking] = useMutation(UnlinkChange);
  const [pending, setPending] = useState<ChangeRole | 'UNLINK' | null>(null);
  const name = changeName(change);
  const busy = linking.loading || unlinking.loading;
  const mark = (next: ChangeRole) => {
    setPending(next);
    void link({ variables: { incidentId, changeId: change.id, role: next } }).catch(() => undefined);
  };
  const remove = () => {
    setPending('UNLINK');
    void unlink({ variables: { incidentId, changeId: change.id } }).catch(() => undefined);
  };
  const failure = linking.error ?? unlinking.error;
  return (
    <li>
      <article aria-label={`${name} at ${formatDateTime(change.finishedAt)}`}>
        <div>
          <time dateTime={change.finishedAt}>{formatDateTime(change.finishedAt)}</time> <strong>{name}</strong>{' '}
          {change.status !== 'succeeded' && <Badge tone="warning">{change.status === 'failed' ? 'Deploy failed' : 'Deploy cancelled'}</Badge>} {role && <Badge tone={ROLE_BADGE[role].tone}>{ROLE_BADGE[role].label}</Badge>}
        </div>
        <div className="hs-muted hs-small">
          {change.environment} · via {changeSourceLabel(change.source as ChangeSource)}
          {change.url && /^https?:\/\//i.test(change.url) && (
            <>
              {' · '}
              <a href={change.url} target="_blank" rel="noreferrer noopener">
                Open the change
              </a>
            </>
          )}
        </div>
        {editable && (
          <div className="hs-row hs-changes__actions">
            {role !== 'TRIGGERING' && (
              <Button variant={role ? 'secondary' : 'primary'} busy={busy && pending === 'TRIGGERING'} disabled={busy} onClick={() => mark('TRIGGERING')}>
                Mark as triggering
              </Button>
            )}
            {role !== 'CONTRIBUTING' && (
              <Button variant="secondary" busy={busy && pending === 'CONTRIBUTING'} disabled={busy} onClick={() => mark('CONTRIBUTING')}>
                Contributing
              </Button>
            )}
            {role && (
              <Button variant="secondary" busy={busy && pending === 'UNLINK'} disabled={busy} onClick={remove}>
                Unlink
              </Button>
            )}
          </div>
        )}
        {failure && <Alert>{errorMessage(failure)}</Alert>}
      </article>
    </li>
  );
}
