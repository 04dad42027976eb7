import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, Cost, CurrentActor, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { SlackPeopleService } from './slack-people.service';
import { SlackSettingsService, SlackStatus } from './slack-settings.service';
import { SlackCredentialSource, SlackSettingsType } from './slack.types';

@Resolver(() => SlackSettingsType)
export class SlackSettingsResolver {
  constructor(
    private readonly settings: SlackSettingsService,
    private readonly people: SlackPeopleService,
  ) {}

  @RequireRole('ADMIN')
  @Query(() => SlackSettingsType, { description: 'Whether the Slack app is set up, and from where.' })
  @Cost(20)
  async slackSettings(): Promise<SlackSettingsType> {
    const status = await this.settings.status();
    let workspace: string | null = null;
    if (status.configured) {
      const credentials = await this.settings.credentials().catch(() => null);
      workspace = credentials ? await this.settings.workspace(credentials.botToken).then((w) => w.team, () => null) : null;
    }
    return shown(status, workspace);
  }

  @RequireRole('ADMIN')
  @Mutation(() => SlackSettingsType, { description: "Stores the Slack app's bot token and signing secret, sealed; the token is checked with Slack first (BAD_USER_INPUT on botToken when refused)." })
  // A call to Slack's API while the request waits, like testNotificationChannel.
  @Cost(50)
  async saveSlackSettings(@CurrentActor() actor: SessionActor, @Args('botToken') botToken: string, @Args('signingSecret') signingSecret: string): Promise<SlackSettingsType> {
    const status = await this.settings.save(actor, botToken, signingSecret);
    const workspace = await this.settings.workspace(botToken.trim()).then((w) => w.team, () => null);
    return shown(status, workspace);
  }

  @RequireRole('ADMIN')
  @Mutation(() => SlackSettingsType, { description: 'Forgets the stored Slack credentials (those from the environment stay).' })
  async deleteSlackSettings(@CurrentActor() actor: SessionActor): Promise<SlackSettingsType> {
    return shown(await this.settings.remove(actor), null);
  }

  @Authenticated()
  @Mutation(() => Boolean, { description: 'Links the signed-in person to the Slack user a sign-in link from the Slack app was made for (single use, 30 minutes).' })
  linkSlackAccount(@CurrentActor() actor: SessionActor, @Args('token') token: string): Promise<boolean> {
    return this.people.link(actor, token);
  }
}

function shown(status: SlackStatus, workspace: string | null): SlackSettingsType {
  return { configured: status.configured, source: status.source ? SlackCredentialSource[status.source] : null, updatedAt: status.updatedAt, workspace };
}
