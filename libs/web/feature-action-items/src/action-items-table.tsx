import { Link } from 'react-router';
import { useSession, type ActionItemRowFragment } from '@hindsight/web-data-access';
import { Badge, formatDate, labelOf, Table, unassignedLabel, type Column } from '@hindsight/web-ui';
import { dueText, OPEN_STATUSES, PRIORITY_TONE, urgencyOf } from './action-item.view';
import { ActionDueDateProperty, ActionOwnerPicker, ActionPriorityPicker, ActionStatusPicker, ActionTeamPicker, mayEditItem, useReasonPrompt } from './action-item-pickers';

const PRIORITY_RANK = { P0: 0, P1: 1, P2: 2, P3: 3 } as const;

/**
 * Action items with overdue and due-soon rows marked (colour plus words, never colour alone);
 * sortable; cards on a phone. With `pickers`, status, priority, team, assignee and due date change
 * in the row (Linear's list) for those who may edit the item (the due date for those who may
 * move it themselves, dueDateAnswer); everyone else reads the values.
 */
export function ActionItemsTable({ items, showIncident = true, label = 'Action items', pickers = false }: { items: readonly ActionItemRowFragment[]; showIncident?: boolean; label?: string; pickers?: boolean }) {
  const { user } = useSession();
  const [ask, reasonDialog] = useReasonPrompt();
  const editable = (item: ActionItemRowFragment) => pickers && mayEditItem(user, item);
  const columns: Column<ActionItemRowFragment>[] = [
    { key: 'title', header: 'Action item', render: (item) => <Link to={`/action-items/${item.id}`}>{item.title}</Link>, sortValue: (item) => item.title },
    ...(showIncident
      ? [
          {
            key: 'incident',
            header: 'Incident',
            render: (item: ActionItemRowFragment) => (
              <Link to={`/incidents/${item.incident.reference}`} title={item.incident.title}>
                {item.incident.reference}
              </Link>
            ),
            sortValue: (item: ActionItemRowFragment) => Number(item.incident.reference.replace(/\D/g, '')),
          },
        ]
      : []),
    {
      key: 'priority',
      header: 'Priority',
      render: (item) => (editable(item) && OPEN_STATUSES.includes(item.status) ? <ActionPriorityPicker item={item} /> : <Badge tone={PRIORITY_TONE[item.priority]}>{item.priority}</Badge>),
      sortValue: (item) => PRIORITY_RANK[item.priority],
    },
    {
      key: 'status',
      header: 'Status',
      render: (item) => (editable(item) && item.status !== 'DONE' ? <ActionStatusPicker item={item} ask={ask} /> : labelOf('ActionStatus', item.status)),
      sortValue: (item) => labelOf('ActionStatus', item.status),
    },
    {
      key: 'team',
      header: 'Team',
      render: (item) => (editable(item) && OPEN_STATUSES.includes(item.status) ? <ActionTeamPicker item={item} /> : item.ownerTeam.name),
      sortValue: (item) => item.ownerTeam.name,
    },
    {
      key: 'assignee',
      header: 'Assignee',
      render: (item) =>
        editable(item) && OPEN_STATUSES.includes(item.status) ? <ActionOwnerPicker item={item} /> : (item.assignee?.name ?? <span className="hs-muted">{unassignedLabel(item.previousAssignee)}</span>),
      sortValue: (item) => item.assignee?.name ?? null,
    },
    {
      key: 'due',
      header: 'Due',
      render: (item) => {
        const urgency = urgencyOf(item);
        const note = dueText(item);
        const plain = (
          <>
            {formatDate(item.dueAt)}
            {note && (
              <>
                {' '}
                <Badge tone={urgency === 'overdue' ? 'danger' : urgency === 'due-soon' ? 'warning' : 'neutral'}>{note}</Badge>
              </>
            )}
          </>
        );
        // The picker says "52 days overdue" itself; the row keeps its overdue mark.
        return editable(item) && OPEN_STATUSES.includes(item.status) ? <ActionDueDateProperty item={item} ask={ask} plain={plain} /> : plain;
      },
      sortValue: (item) => item.dueAt,
    },
  ];
  return (
    <>
      <Table
        label={label}
        columns={columns}
        rows={items}
        rowKey={(item) => item.id}
        rowClassName={(item) => {
          const urgency = urgencyOf(item);
          return urgency === 'overdue' ? 'hs-row--overdue' : urgency === 'due-soon' ? 'hs-row--due-soon' : undefined;
        }}
        rowData={(item) => ({ 'data-urgency': urgencyOf(item) })}
      />
      {reasonDialog}
    </>
  );
}
