import { Link } from 'react-router';
import { useSession } from '@hindsight/web-data-access';
import { labelOf, PageHeader } from '@hindsight/web-ui';
import { ApiTokensSection } from './api-tokens.section';
import { ChannelsSection } from './channels.section';
import { ModelDraftsSection } from './model-drafts.section';
import { PoliciesSection } from './policies.section';
import { SessionLifetimesSection } from './session-lifetimes.section';
import { SlackSection } from './slack.section';
import { UsersSection } from './users.section';
import { TrackersSection } from '@hindsight/web-feature-trackers';

/**
 * /settings by role: an ADMIN gets the administration screens (policies, people, sessions,
 * channels, trackers, everyone's tokens); everyone else only what they may use: their profile,
 * password, sessions, API tokens and how reminders reach them. Nothing the server would refuse.
 */
export function SettingsPage() {
  const { user } = useSession();
  if (!user) return null;
  if (user.role !== 'ADMIN') return <PersonalSettings />;
  return (
    <>
      <PageHeader title="Settings" description="Policies, people and integrations." />
      <div className="hs-stack">
        <PoliciesSection />
        <UsersSection />
        <SessionLifetimesSection />
        <ChannelsSection />
        <SlackSection />
        <TrackersSection />
        <ApiTokensSection everyone />
        <ModelDraftsSection />
      </div>
    </>
  );
}

function PersonalSettings() {
  const { user } = useSession();
  if (!user) return null;
  return (
    <>
      <PageHeader title="Your settings" description="Your profile, sign-in and the tokens that act as you." />
      <div className="hs-stack">
        <section className="hs-card" aria-labelledby="profile-heading">
          <h2 id="profile-heading">Profile</h2>
          <dl className="hs-dl">
            <dt>Name</dt>
            <dd>{user.name}</dd>
            <dt>E-mail</dt>
            <dd>{user.email}</dd>
            <dt>Role</dt>
            <dd>{labelOf('Role', user.role)}</dd>
            <dt>Teams</dt>
            <dd>{user.teams.length ? user.teams.map((t) => t.name).join(', ') : 'None yet'}</dd>
          </dl>
          <p className="hs-muted hs-small">An administrator changes names, roles and teams.</p>
        </section>
        <section className="hs-card" aria-labelledby="signin-heading">
          <h2 id="signin-heading">Signing in</h2>
          <ul className="hs-list">
            <li>
              <Link to="/account/password">Change your password</Link>: your other sessions are signed out.
            </li>
            <li>
              <Link to="/account/sessions">Your sessions</Link>: where you are signed in, and signing out elsewhere.
            </li>
          </ul>
        </section>
        <section className="hs-card" aria-labelledby="notify-heading">
          <h2 id="notify-heading">Notifications</h2>
          <p>
            Reminders about action items you own (a few days before they are due, on the day, and when overdue) go to <strong>{user.email}</strong>, and to your team’s
            chat channel when an administrator has connected one. Each reminder has one-click answers: done, need more time, snooze.
          </p>
        </section>
        <ApiTokensSection />
      </div>
    </>
  );
}
