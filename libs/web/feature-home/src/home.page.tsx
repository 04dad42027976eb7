import './home.css';
import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { errorMessage, useSession, type MyWorkQuery, type SessionUserFragment } from '@hindsight/web-data-access';
import { ClaimButton, dueText, ExtensionDecision, PRIORITY_TONE, urgencyOf } from '@hindsight/web-feature-action-items';
import { Badge, EmptyState, ErrorState, formatDate, LoadingState, PageHeader } from '@hindsight/web-ui';
import { MyWork } from './home.operations';
import { LeadershipWeek } from './leadership-week';
import { LIST_ORDER, LIST_TITLE, type ListName } from './my-work.view';

type Lists = MyWorkQuery['myWork'];
type ItemRow = Lists['overdue'][number];

/** One action item: its title links to it; the answers are one click away. */
function ItemRowView({ item, user, claim }: { item: ItemRow & { ownerTeam: { manager?: { id: string } | null } }; user: SessionUserFragment; claim: boolean }) {
  const urgency = urgencyOf(item);
  const note = dueText(item);
  return (
    <li className="hs-work__row">
      <div className="hs-work__what">
        <Link to={`/action-items/${item.id}`}>{item.title}</Link>{' '}
        <Badge tone={PRIORITY_TONE[item.priority]}>{item.priority}</Badge>{' '}
        <span className="hs-muted">
          {item.ownerTeam.name} · {item.incident.reference} · due {formatDate(item.dueAt)}
        </span>{' '}
        {note && <Badge tone={urgency === 'overdue' ? 'danger' : 'warning'}>{note}</Badge>}
      </div>
      <div className="hs-work__act">
        {claim ? (
          <ClaimButton item={item} user={user} label="Claim" />
        ) : (
          <>
            <Link className="hs-button hs-button--secondary" to={`/action-items/${item.id}?action=complete`} aria-label={`Mark done: ${item.title}`}>
              Done
            </Link>
            <Link className="hs-button hs-button--secondary" to={`/action-items/${item.id}?action=extend`} aria-label={`Need more time: ${item.title}`}>
              Need more time
            </Link>
          </>
        )}
      </div>
    </li>
  );
}

function ListSection({ name, lists, user }: { name: ListName; lists: Lists; user: SessionUserFragment }) {
  const id = `work-${name}`;
  let rows;
  switch (name) {
    case 'extensionRequests':
      rows = lists.extensionRequests.map((r) => (
        <li key={r.id} className="hs-work__row">
          <div className="hs-work__what">
            <Link to={`/action-items/${r.actionItem.id}`}>{r.actionItem.title}</Link> <Badge tone={PRIORITY_TONE[r.actionItem.priority]}>{r.actionItem.priority}</Badge>{' '}
            <span className="hs-muted">{r.actionItem.ownerTeam.name}</span>
            <ExtensionDecision request={r} itemTitle={r.actionItem.title} />
          </div>
        </li>
      ));
      break;
    case 'overdue':
    case 'dueSoon':
    case 'escalatedInMyTeams':
      rows = lists[name].map((item) => <ItemRowView key={item.id} item={item} user={user} claim={false} />);
      break;
    case 'unassignedInMyTeams':
      rows = lists.unassignedInMyTeams.map((item) => <ItemRowView key={item.id} item={item} user={user} claim />);
      break;
    case 'reviewsRequested':
    case 'postmortemsToWrite':
      rows = lists[name].map((p) => (
        <li key={p.id} className="hs-work__row">
          <div className="hs-work__what">
            <Link to={`/incidents/${p.incident.reference}/postmortem`}>
              {p.incident.reference}: {p.incident.title}
            </Link>{' '}
            <span className="hs-muted">
              {p.status.replace('_', ' ').toLowerCase()}
              {p.dueAt ? ` · due ${formatDate(p.dueAt)}` : ''}
            </span>
          </div>
          <div className="hs-work__act">
            <Link className="hs-button hs-button--secondary" to={`/incidents/${p.incident.reference}/postmortem`} aria-label={`${name === 'reviewsRequested' ? 'Review' : 'Write'} the postmortem of ${p.incident.reference}`}>
              {name === 'reviewsRequested' ? 'Review' : 'Write'}
            </Link>
          </div>
        </li>
      ));
      break;
    case 'openIncidents':
      rows = lists.openIncidents.map((i) => (
        <li key={i.id} className="hs-work__row">
          <div className="hs-work__what">
            <Link to={`/incidents/${i.reference}`}>
              {i.reference}: {i.title}
            </Link>{' '}
            <Badge tone={i.severity === 'SEV1' ? 'danger' : i.severity === 'SEV2' ? 'warning' : 'neutral'}>{i.severity}</Badge> <span className="hs-muted">{i.status.toLowerCase()}</span>
          </div>
        </li>
      ));
      break;
    default: {
      const unknown: never = name;
      throw new Error(`unknown list ${String(unknown)}`);
    }
  }
  return (
    <section className="hs-card hs-work" aria-labelledby={id}>
      <h2 id={id}>
        {LIST_TITLE[name]} <span className="hs-badge">{lists[name].length}</span>
      </h2>
      <ul className="hs-work__rows">{rows}</ul>
    </section>
  );
}

function NeedsYou({ user }: { user: SessionUserFragment }) {
  const { data, loading, error, refetch } = useQuery(MyWork, { fetchPolicy: 'cache-and-network' });
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (loading && !data) return <LoadingState label="Finding what needs you…" />;
  const lists = data?.myWork;
  if (!lists) return null;
  const shown = LIST_ORDER.filter((name) => lists[name].length > 0);
  if (shown.length === 0) {
    return (
      <section className="hs-card" aria-labelledby="work-empty">
        <h2 id="work-empty">Nothing needs you right now</h2>
        <EmptyState title="When something waits on you, it appears here, most urgent first:">
          <ul className="hs-work__explain">
            <li>your action items that are overdue or due within 7 days, and your teams' items nobody has taken yet;</li>
            <li>for managers, the team's escalated items and the extension requests waiting for a decision;</li>
            <li>postmortems you must write or review, and open incidents you command.</li>
          </ul>
        </EmptyState>
      </section>
    );
  }
  return (
    <>
      {shown.map((name) => (
        <ListSection key={name} name={name} lists={lists} user={user} />
      ))}
    </>
  );
}

/** Where a signed-in person lands: what needs them now (leadership: the week's summary), then their teams. */
export function HomePage() {
  const { user } = useSession();
  if (!user) return null;
  const viewer = user.role === 'VIEWER';
  return (
    <>
      <PageHeader title={`Welcome, ${user.name}`} description={viewer ? 'This week in reliability, against the four weeks before.' : 'What needs you now, most urgent first.'} />
      <div className="hs-stack">
        {viewer ? <LeadershipWeek /> : <NeedsYou user={user} />}
        <section className="hs-card" aria-labelledby="home-teams">
          <h2 id="home-teams">Your teams</h2>
          {user.teams.length === 0 ? (
            <p>You are not on a team yet. An administrator can add you to one.</p>
          ) : (
            <ul>
              {user.teams.map((team) => (
                <li key={team.id}>{team.name}</li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
