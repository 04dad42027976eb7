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

@ObjectType('SlackImportProposal', { description: "A message of the incident's Slack channel proposed as a timeline event; a commander keeps, edits or drops it." })
export class SlackImportProposalType {
  @Field({ description: "The message's Slack timestamp: its id in the channel." })
  ts!: string;

  @Field(() => GraphQLISODateTime)
  occurredAt!: Date;

  @Field()
  text!: string;

  @Field(() => String, { nullable: true })
  permalink!: string | null;

  @Field(() => String, { nullable: true, description: 'Who said it, as Slack names them.' })
  author!: string | null;
}
