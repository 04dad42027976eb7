import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { errorMessage } from '@hindsight/web-data-access';
import { Alert, Button, SelectField } from '@hindsight/web-ui';
import { CreateIssuesForIncident, IncidentTrackerConnections } from './trackers.operations';

/** The incident page's "create issues for all open items": one issue per open, unlinked item, once. */
export function IncidentTrackerIssues({ incidentId }: { incidentId: string }) {
  const { data } = useQuery(IncidentTrackerConnections);
  const connections = data?.trackerConnections ?? [];
  const [connectionId, setConnectionId] = useState('');
  const [create, { loading, error, data: done }] = useMutation(CreateIssuesForIncident, { refetchQueries: ['ActionItemTracker'] });
  if (connections.length === 0) return null;
  const chosen = connectionId || connections[0].id;
  return (
    <div className="hs-row" role="group" aria-label="Create tracker issues">
      <SelectField label="Tracker" value={chosen} onChange={(e) => setConnectionId(e.target.value)} options={connections.map((c) => ({ value: c.id, label: `${c.name} (${c.project})` }))} />
      <Button variant="secondary" busy={loading} onClick={() => void create({ variables: { incidentId, connectionId: chosen } }).catch(() => undefined)}>
        Create issues for all open items
      </Button>
      {error && <Alert>{errorMessage(error)}</Alert>}
      {done && (
        <Alert tone="success">
          {done.createTrackerIssuesForIncident === 0 ? 'Every open item is already linked.' : `${done.createTrackerIssuesForIncident} issue(s) are being created.`}
        </Alert>
      )}
    </div>
  );
}
