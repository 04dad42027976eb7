import './home.css';
import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { errorMessage, useSession, type MyWorkQuery, type SessionUserFragment } from '@hindsight/web-data-access';
import { ClaimButton, dueText, ExtensionDecision, PRIORITY_TONE } from '@hindsight/web-feature-action-items';
import { Badge, EmptyState, ErrorState, formatDate, LoadingState, PageHeader } from '@hindsight/web-ui';
import { MyWork } from './home.operations';
import { LeadershipWeek } from './leadership-week';
import { URGENCY_TONE } from './my-work.view';

type Entry = MyWorkQuery['myWork']['queue'][number];

/** What the entry is about, as a link to its page. */
function Subject({ entry }: { entry: Entry }) {
  const item = entry.actionItem;
  if (item) {
    return (
      <>
        <Link to={`/action-items/${item.id}`}>{item.title}</Link> <Badge tone={PRIORITY_TONE[item.priority]}>{item.priority}</Badge>
      </>
    );
  }
  if (entry.incident) {
    const to = entry.postmortem ? `/incidents/${entry.incident.reference}/postmortem` : `/incidents/${entry.incident.reference}`;
    return (
      <>
        <Link to={to}>
          {entry.postmortem ? 'Postmortem of ' : ''}
          {entry.incident.reference}: {entry.incident.title}
        </Link>{' '}
        {!entry.postmortem && <Badge tone={entry.incident.severity === 'SEV1' ? 'danger' : entry.incident.severity === 'SEV2' ? 'warning' : 'neutral'}>{entry.incident.severity}</Badge>}
      </>
    );
  }
  return null;
}

/** Whose it is: the assignee (or nobody) and the team of an item; the commander of a postmortem or incident. */
function owner(entry: Entry): string {
  if (entry.kind === 'ACTION_ITEM' || entry.kind === 'EXTENSION_REQUEST') return `${entry.owner?.name ?? 'nobody yet'}${entry.team ? ` · ${entry.team.name}` : ''}`;
  return entry.owner ? `commander ${entry.owner.name}` : 'no commander';
}

/** One thing that needs the person: what, why, whose, and only the answers they may give. */
function EntryRow({ entry, user }: { entry: Entry; user: SessionUserFragment }) {
  const item = entry.actionItem;
  const note = item ? dueText(item) : '';
  return (
    <li className="hs-work__row" data-urgency={entry.urgency}>
      <div className="hs-work__what">
        <Subject entry={entry} /> <Badge tone={URGENCY_TONE[entry.urgency]}>{entry.reason}</Badge>{' '}
        <span className="hs-muted">
          {owner(entry)}
          {entry.dueAt ? ` · due ${formatDate(entry.dueAt)}` : ''}
          {note && note !== entry.reason ? ` · ${note}` : ''}
          {item?.incident && entry.kind === 'ACTION_ITEM' ? ` · ${item.incident.reference}` : ''}
        </span>
        {entry.extensionRequest && item && entry.answers.some((a) => a.kind === 'APPROVE') && <ExtensionDecision request={entry.extensionRequest} itemTitle={item.title} />}
      </div>
      <div className="hs-work__act">
        {entry.answers.map((answer) => {
          switch (answer.kind) {
            case 'APPROVE':
            case 'DECLINE':
              return null;
            case 'CLAIM':
              return item ? <ClaimButton key={answer.kind} item={item} user={user} label={answer.label} /> : null;
            default: {
              const what = item?.title ?? (entry.incident ? entry.incident.reference : '');
              return (
                <Link key={answer.kind} className="hs-button hs-button--secondary" to={answer.path} aria-label={`${answer.label}: ${what}`}>
                  {answer.label}
                </Link>
              );
            }
          }
        })}
      </div>
    </li>
  );
}

function NeedsYou({ user }: { user: SessionUserFragment }) {
  const { data, loading, error, refetch } = useQuery(MyWork, { fetchPolicy: 'cache-and-network' });
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (loading && !data) return <LoadingState label="Finding what needs you…" />;
  const queue = data?.myWork.queue;
  if (!queue) return null;
  if (queue.length === 0) {
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
    <section className="hs-card hs-work" aria-labelledby="work-queue">
      <h2 id="work-queue">
        What needs you <span className="hs-badge">{queue.length}</span>
      </h2>
      <p className="hs-muted">Overdue P0 and P1 first, then escalations, decisions, reviews and what is due soon; snoozed items last.</p>
      <ol className="hs-work__rows">
        {queue.map((entry) => (
          <EntryRow key={entry.id} entry={entry} user={user} />
        ))}
      </ol>
    </section>
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
