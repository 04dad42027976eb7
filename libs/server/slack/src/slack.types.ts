import { Field, GraphQLISODateTime, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum SlackCredentialSource {
  ENVIRONMENT = 'ENVIRONMENT',
  STORED = 'STORED',
}
registerEnumType(SlackCredentialSource, { name: 'SlackCredentialSource', description: 'Where the Slack app\'s credentials come from: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or Settings → Slack.' });

@ObjectType('SlackSettings', { description: 'The Slack app (docs/slack.md). The token and signing secret are never returned.' })
export class SlackSettingsType {
  @Field()
  configured!: boolean;

  @Field(() => SlackCredentialSource, { nullable: true, description: 'The environment wins over stored credentials.' })
  source!: SlackCredentialSource | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When an ADMIN last stored them.' })
  updatedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The workspace the bot token belongs to (auth.test), when Slack answered.' })
  workspace!: string | null;
}
