import { Link } from 'react-router';
import type { ActionItemRowFragment } from '@hindsight/web-data-access';
import { Badge, formatDate, unassignedLabel } from '@hindsight/web-ui';
import { dueText, PRIORITY_TONE, STATUS_LABEL, urgencyOf } from './action-item.view';

/** Action items with overdue and due-soon rows marked (colour plus words, never colour alone). */
export function ActionItemsTable({ items, showIncident = true }: { items: readonly ActionItemRowFragment[]; showIncident?: boolean }) {
  return (
    <table className="hs-table">
      <thead>
        <tr>
          <th scope="col">Action item</th>
          {showIncident && <th scope="col">Incident</th>}
          <th scope="col">Priority</th>
          <th scope="col">Status</th>
          <th scope="col">Team</th>
          <th scope="col">Assignee</th>
          <th scope="col">Due</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const urgency = urgencyOf(item);
          const note = dueText(item);
          return (
            <tr key={item.id} className={urgency === 'overdue' ? 'hs-row--overdue' : urgency === 'due-soon' ? 'hs-row--due-soon' : undefined} data-urgency={urgency}>
              <td>
                <Link to={`/action-items/${item.id}`}>{item.title}</Link>
              </td>
              {showIncident && (
                <td>
                  <Link to={`/incidents/${item.incident.reference}`} title={item.incident.title}>
                    {item.incident.reference}
                  </Link>
                </td>
              )}
              <td>
                <Badge tone={PRIORITY_TONE[item.priority]}>{item.priority}</Badge>
              </td>
              <td>{STATUS_LABEL[item.status]}</td>
              <td>{item.ownerTeam.name}</td>
              <td>{item.assignee?.name ?? <span className="hs-muted">{unassignedLabel(item.previousAssignee)}</span>}</td>
              <td>
                {formatDate(item.dueAt)}
                {note && (
                  <>
                    {' '}
                    <Badge tone={urgency === 'overdue' ? 'danger' : urgency === 'due-soon' ? 'warning' : 'neutral'}>{note}</Badge>
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
