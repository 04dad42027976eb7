import { Link } from 'react-router';
import { useSession } from '@hindsight/web-data-access';
import { PageHeader } from '@hindsight/web-ui';
import { visibleNavItems } from './nav.items';

/** Where a signed-in person lands: who they are, their teams, and where to go next. */
export function HomePage() {
  const { user } = useSession();
  if (!user) return null;
  return (
    <>
      <PageHeader title={`Welcome, ${user.name}`} description="Learn from incidents without blame, and see every action item through." />
      <section className="hs-card" aria-labelledby="home-teams">
        <h2 id="home-teams">Your teams</h2>
        {user.teams.length === 0 ? <p>You are not on a team yet. An administrator can add you to one.</p> : (
          <ul>
            {user.teams.map((team) => (
              <li key={team.id}>{team.name}</li>
            ))}
          </ul>
        )}
        <h2>Go to</h2>
        <ul>
          {visibleNavItems(user.role).map((item) => (
            <li key={item.to}>
              <Link to={item.to}>{item.label}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
