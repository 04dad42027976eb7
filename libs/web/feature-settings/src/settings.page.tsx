import { PageHeader } from '@hindsight/web-ui';
import { ApiTokensSection } from './api-tokens.section';
import { ChannelsSection } from './channels.section';
import { ModelDraftsSection } from './model-drafts.section';
import { PoliciesSection } from './policies.section';
import { SessionLifetimesSection } from './session-lifetimes.section';
import { SlackSection } from './slack.section';
import { UsersSection } from './users.section';
import { TrackersSection } from '@hindsight/web-feature-trackers';

/** ADMIN settings (the route is only linked for ADMINs; the API refuses everyone else anyway). */
export function SettingsPage() {
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
