import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { ACTION_KINDS, canEditActionItem, PRIORITIES } from '@hindsight/domain';
import { useSession, type ActionKind, type IncidentDetailQuery, type Priority } from '@hindsight/web-data-access';
import { Badge, Button, enumOptions, formatDate, fromDateInputEndOfDay, labelOf, SelectField, Table, TextAreaField, TextField, unassignedLabel } from '@hindsight/web-ui';
import { CreateIncidentActionItem } from './incident.operations';
import { IncidentPickers } from './incidents.operations';
import { FormCard, Section } from './form-card';
import { formProblems } from './problems';
import { AddPanel } from './add-panel';
import { addToIncident } from './incident.cache';
import { IncidentTrackerIssues } from '@hindsight/web-feature-trackers';
import { ActionDueDateProperty, ActionOwnerPicker, ActionPriorityPicker, ActionStatusPicker, ActionTeamPicker, mayEditItem, useReasonPrompt } from '@hindsight/web-feature-action-items';

type Incident = NonNullable<IncidentDetailQuery['incident']>;
type Item = Incident['actionItems'][number];

const PRIORITY_TONE = { P0: 'danger', P1: 'warning', P2: 'info', P3: 'neutral' } as const;
const OPEN = new Set(['OPEN', 'IN_PROGRESS', 'BLOCKED']);

function dueNote(item: Item): string | null {
  if (!OPEN.has(item.status)) return null;
  if (item.isOverdue) return item.daysOverdue === 1 ? '1 day overdue' : `${item.daysOverdue} days overdue`;
  return null;
}

export function IncidentActionItemsSection({ incident }: { incident: Incident }) {
  const { user } = useSession();
  const actor = user ? { id: user.id, role: user.role, teamIds: user.teams.map((t) => t.id) } : null;
  // COMMANDERs and ADMINs create for any team; MANAGERs and members for their own teams.
  const mayCreate = !!actor && actor.role !== 'VIEWER';
  // Status, priority, team, assignee and due date change in the row for those who may edit the item (the API's rule); plain values for the rest.
  const editable = (item: Item) => mayEditItem(user, item);
  const [ask, reasonDialog] = useReasonPrompt();
  return (
    <Section id="action-items" title="Action items">
      {incident.actionItems.length === 0 ? (
        <p className="hs-muted">No action items yet. Each one should address a factor or a safeguard above, and always has an owning team.</p>
      ) : (
        <Table
          caption={`Action items of ${incident.reference}, soonest due first`}
          captionHidden
          rows={incident.actionItems}
          rowKey={(item) => item.id}
          initialSort={{ key: 'due', direction: 'asc' }}
          rowClassName={(item) => (dueNote(item) ? 'hs-row--overdue' : undefined)}
          rowData={(item): Record<`data-${string}`, string> => (dueNote(item) ? { 'data-overdue': 'true' } : {})}
          columns={[
            {
              key: 'title',
              header: 'Action item',
              render: (item) => (
                <>
                  <Link to={`/action-items/${item.id}`}>{item.title}</Link> <span className="hs-muted hs-small">{labelOf('ActionKind', item.kind)}</span>
                </>
              ),
              sortValue: (item) => item.title,
            },
            {
              key: 'priority',
              header: 'Priority',
              render: (item) => (editable(item) && OPEN.has(item.status) ? <ActionPriorityPicker item={item} /> : <Badge tone={PRIORITY_TONE[item.priority]}>{item.priority}</Badge>),
              sortValue: (item) => item.priority,
            },
            {
              key: 'status',
              header: 'Status',
              render: (item) => (editable(item) && item.status !== 'DONE' ? <ActionStatusPicker item={item} ask={ask} /> : labelOf('ActionStatus', item.status)),
              sortValue: (item) => item.status,
            },
            { key: 'team', header: 'Team', render: (item) => (editable(item) && OPEN.has(item.status) ? <ActionTeamPicker item={item} /> : item.ownerTeam.name), sortValue: (item) => item.ownerTeam.name },
            {
              key: 'assignee',
              header: 'Assignee',
              render: (item) => (editable(item) && OPEN.has(item.status) ? <ActionOwnerPicker item={item} /> : (item.assignee?.name ?? <span className="hs-muted">{unassignedLabel(item.previousAssignee)}</span>)),
            },
            {
              key: 'due',
              header: 'Due',
              render: (item) => {
                const note = dueNote(item);
                const plain = (
                  <>
                    {formatDate(item.dueAt)} {note && <Badge tone="danger">{note}</Badge>}
                  </>
                );
                return editable(item) && OPEN.has(item.status) ? <ActionDueDateProperty item={item} ask={ask} plain={plain} /> : plain;
              },
              sortValue: (item) => item.dueAt,
            },
          ]}
        />
      )}
      {reasonDialog}
      {mayCreate && incident.actionItems.some((i) => OPEN.has(i.status)) && <IncidentTrackerIssues incidentId={incident.id} />}
      {mayCreate && actor && (
        <AddPanel label="Propose an action item" shortcut="a">
          {() => <CreateActionItemForm incident={incident} canOwn={(teamId) => canEditActionItem(actor, teamId)} />}
        </AddPanel>
      )}
    </Section>
  );
}

const FIELDS = ['title', 'kind', 'priority', 'ownerTeamId', 'assigneeId', 'dueAt', 'description', 'addressesFactorId', 'addressesSafeguardId', 'externalUrl'];

function CreateActionItemForm({ incident, canOwn }: { incident: Incident; canOwn: (teamId: string) => boolean }) {
  const pickers = useQuery(IncidentPickers);
  const teams = (pickers.data?.teams ?? []).filter((t) => canOwn(t.id));
  const defaultTeam = incident.services.find((s) => canOwn(s.team.id))?.team.id ?? '';
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<ActionKind>('PREVENT');
  const [priority, setPriority] = useState<Priority>('P2');
  const [ownerTeamId, setOwnerTeamId] = useState(defaultTeam);
  const [assigneeId, setAssigneeId] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [addresses, setAddresses] = useState('');
  const [description, setDescription] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [create, { loading, error }] = useMutation(CreateIncidentActionItem, { update: (cache, { data }) => addToIncident(cache, incident.id, 'actionItems', data?.createActionItem) });
  const { at, general } = formProblems(error, FIELDS);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const [type, id] = addresses.split(':');
    const ok = await create({
      variables: {
        incidentId: incident.id,
        input: {
          title,
          kind,
          priority,
          ownerTeamId,
          assigneeId: assigneeId || null,
          dueAt: dueOn ? (fromDateInputEndOfDay(dueOn) ?? dueOn) : null,
          description: description.trim() ? description : null,
          addressesFactorId: type === 'factor' ? id : null,
          addressesSafeguardId: type === 'safeguard' ? id : null,
        },
      },
    }).then(
      () => true,
      () => false,
    );
    if (ok) {
      setTitle('');
      setDescription('');
      setDueOn('');
      setDone('Action item created; its due date follows the priority policy unless you chose one.');
    }
  };

  return (
    <FormCard title="Propose an action item" onSubmit={onSubmit} general={general} done={done}>
      <TextField label="Action item title" value={title} onChange={(e) => setTitle(e.target.value)} error={at('title')} />
      <div className="hs-row">
        <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as ActionKind)} options={enumOptions('ActionKind', ACTION_KINDS)} error={at('kind')} />
        <SelectField label="Priority" value={priority} onChange={(e) => setPriority(e.target.value as Priority)} options={enumOptions('Priority', PRIORITIES)} error={at('priority')} />
        <SelectField label="Owning team" placeholder="Choose a team" value={ownerTeamId} onChange={(e) => setOwnerTeamId(e.target.value)} options={teams.map((t) => ({ value: t.id, label: t.name }))} error={at('ownerTeamId')} />
        <SelectField
          label="Assignee (optional)"
          placeholder="Unassigned"
          value={assigneeId}
          onChange={(e) => setAssigneeId(e.target.value)}
          options={(pickers.data?.users ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
          error={at('assigneeId')}
        />
        <TextField label="Due (optional)" type="date" value={dueOn} onChange={(e) => setDueOn(e.target.value)} hint="Defaults from the priority policy." error={at('dueAt')} />
      </div>
      <SelectField
        label="Addresses"
        placeholder="Nothing specific"
        value={addresses}
        onChange={(e) => setAddresses(e.target.value)}
        options={[
          ...incident.contributingFactors.map((f) => ({ value: `factor:${f.id}`, label: `Factor: ${labelOf('FactorCategory', f.category)} — ${f.description.slice(0, 60)}` })),
          ...incident.failedSafeguards.map((s) => ({ value: `safeguard:${s.id}`, label: `Safeguard: ${labelOf('SafeguardKind', s.kind)} — ${s.expectedBehavior.slice(0, 60)}` })),
        ]}
        error={at('addressesFactorId') ?? at('addressesSafeguardId')}
      />
      <TextAreaField label="Action item description (optional, Markdown)" value={description} onChange={(e) => setDescription(e.target.value)} error={at('description')} rows={2} />
      <Button type="submit" busy={loading}>
        Create action item
      </Button>
    </FormCard>
  );
}
