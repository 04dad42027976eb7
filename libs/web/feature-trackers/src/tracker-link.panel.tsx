import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { errorMessage, fieldProblems, type TrackerLinkFieldsFragment } from '@hindsight/web-data-access';
import { Alert, Badge, Button, formatDateTime, SelectField, TextField } from '@hindsight/web-ui';
import { ActionItemTrackerQuery, LinkActionItem, UnlinkActionItem } from './trackers.operations';
import { KIND_LABEL } from './tracker.view';

/**
 * The item page's tracker card: the linked issue, its state, last sync and error; link an
 * existing issue or create one, unlink. Polls while the issue is being created.
 */
export function TrackerLinkPanel({ itemId, canEdit }: { itemId: string; canEdit: boolean }) {
  const { data, error } = useQuery(ActionItemTrackerQuery, { variables: { id: itemId } });
  const item = data?.actionItem;
  const link = item?.trackerLink ?? null;
  if (error && !data) return <Alert>{errorMessage(error)}</Alert>;
  if (!item) return null;
  const usable = (data?.trackerConnections ?? []).filter((c) => !c.team || c.team.id === item.ownerTeam.id);
  if (!link && (!canEdit || usable.length === 0)) return null;
  return (
    <section className="hs-card" aria-labelledby="tracker-heading">
      <h2 id="tracker-heading">Tracker</h2>
      {link ? <LinkView itemId={itemId} link={link} canEdit={canEdit} /> : <LinkForm itemId={itemId} connections={usable} />}
    </section>
  );
}

function LinkView({ itemId, link, canEdit }: { itemId: string; link: TrackerLinkFieldsFragment; canEdit: boolean }) {
  const [unlink, unlinked] = useMutation(UnlinkActionItem, { variables: { actionItemId: itemId } });
  useQuery(ActionItemTrackerQuery, { variables: { id: itemId }, pollInterval: link.creating ? 2000 : 0, skip: !link.creating });
  return (
    <>
      <dl className="hs-dl">
        <dt>Issue</dt>
        <dd>
          {link.creating ? (
            <>Being created in {link.connection.name}…</>
          ) : link.deletedUpstream ? (
            <>{link.externalKey}</>
          ) : (
            <a href={link.url} target="_blank" rel="noreferrer">
              {link.externalKey}
            </a>
          )}{' '}
          <Badge tone="info">{KIND_LABEL[link.connection.kind]}</Badge>
        </dd>
        <dt>State upstream</dt>
        <dd>
          {link.deletedUpstream ? (
            <>
              <Badge tone="warning">deleted upstream</Badge> {link.connection.name} no longer has this issue (or its token can no longer see it)
              {link.deletedUpstreamAt ? `, found ${formatDateTime(link.deletedUpstreamAt)}` : ''}. This item is chased as before; unlink it, or link another issue.
            </>
          ) : (
            <Badge tone={link.state === 'CLOSED' ? 'ok' : 'neutral'}>{link.state === 'CLOSED' ? 'closed' : 'open'}</Badge>
          )}
          {link.awaitingVerification && (
            <>
              {' '}
              <Badge tone="warning">closed upstream: verify</Badge> Closed{link.closedUpstreamBy ? ` by ${link.closedUpstreamBy}` : ''}; complete this item with how you know the fix works.
            </>
          )}
        </dd>
        {link.proposedDueDate && (
          <>
            <dt>Proposed due date</dt>
            <dd>
              {link.proposedDueDate} was set in the tracker. Hindsight keeps its own due date: change it here if the team agrees.
            </dd>
          </>
        )}
        <dt>Last sync</dt>
        <dd>{link.syncedAt ? formatDateTime(link.syncedAt) : 'not yet'}</dd>
        {link.lastError && (
          <>
            <dt>Sync error</dt>
            <dd role="status">{link.lastError}</dd>
          </>
        )}
      </dl>
      {unlinked.error && <Alert>{errorMessage(unlinked.error)}</Alert>}
      {canEdit && (
        <Button variant="secondary" busy={unlinked.loading} onClick={() => void unlink().catch(() => undefined)}>
          Unlink (the issue stays)
        </Button>
      )}
    </>
  );
}

function LinkForm({ itemId, connections }: { itemId: string; connections: { id: string; name: string; kind: keyof typeof KIND_LABEL; project: string }[] }) {
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? '');
  const [key, setKey] = useState('');
  const [link, { loading, error }] = useMutation(LinkActionItem);
  const problems = fieldProblems(error);
  const at = (f: string) => problems.find((p) => p.field === f)?.message ?? null;
  const submit = (externalKey: string | null) => void link({ variables: { actionItemId: itemId, connectionId, externalKey } }).catch(() => undefined);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(key.trim() || null);
  };
  return (
    <form onSubmit={onSubmit} aria-label="Link to a tracker" noValidate>
      {error && problems.length === 0 && <Alert>{errorMessage(error)}</Alert>}
      <div className="hs-row">
        <SelectField label="Tracker" value={connectionId} onChange={(e) => setConnectionId(e.target.value)} options={connections.map((c) => ({ value: c.id, label: `${c.name} (${c.project})` }))} error={at('connectionId')} />
        <TextField label="Existing issue" value={key} onChange={(e) => setKey(e.target.value)} hint="OPS-12 or #42; leave empty to create a new issue" error={at('externalKey')} />
      </div>
      <Button type="submit" busy={loading}>
        {key.trim() ? 'Link this issue' : 'Create an issue'}
      </Button>
    </form>
  );
}
