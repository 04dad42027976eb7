import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TRACKER_KINDS, TRACKER_STATES, type TrackerKind, type TrackerState } from '@hindsight/domain';

export const TrackerKindEnum = Object.fromEntries(TRACKER_KINDS.map((k) => [k, k])) as { [K in TrackerKind]: K };
registerEnumType(TrackerKindEnum, { name: 'TrackerKind' });
export const TrackerStateEnum = Object.fromEntries(TRACKER_STATES.map((k) => [k, k])) as { [K in TrackerState]: K };
registerEnumType(TrackerStateEnum, { name: 'TrackerState' });

@ObjectType('TrackerConnection', { description: 'A tracker action items sync with. Its token and webhook secret are never returned.' })
export class TrackerConnectionType {
  @Field(() => ID) id!: string;
  @Field(() => TrackerKindEnum) kind!: TrackerKind;
  @Field() name!: string;
  @Field() baseUrl!: string;
  @Field({ description: 'Jira project key, GitHub "owner/repo", GitLab project path.' }) project!: string;
  @Field(() => String, { nullable: true, description: 'Jira Cloud: the account e-mail of the API token; null for Jira Data Center and other trackers.' })
  email!: string | null;
  @Field({ description: 'Where the tracker sends its webhooks (paste it into the tracker with the webhook secret).' }) webhookUrl!: string;
  @Field({ description: 'Whether a webhook secret is set; without one, webhooks are refused.' }) hasWebhookSecret!: boolean;
  @Field({ description: "New items of the connection's team get an issue automatically." }) autoCreate!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'End of the last successful reconciliation.' }) lastSyncedAt!: Date | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  /** Resolved to `team` by a DataLoader. */
  teamId!: string | null;
}

@ObjectType('TrackerLink', { description: 'The issue an action item is linked to, and how its sync stands.' })
export class TrackerLinkType {
  @Field({ description: 'The issue key (OPS-12, 42); empty while the issue is being created.' }) externalKey!: string;
  @Field({ description: 'The issue in the tracker; empty while it is being created.' }) url!: string;
  @Field(() => TrackerStateEnum) state!: TrackerState;
  @Field({ description: 'The issue is being created (queued or being retried).' }) creating!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) syncedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the last push to the tracker failed.' }) lastError!: string | null;
  @Field({ description: 'Closed upstream while the item (P0/P1) still needs its verification.' }) awaitingVerification!: boolean;
  @Field(() => String, { nullable: true }) closedUpstreamBy!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) closedUpstreamAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'A due date (YYYY-MM-DD) set in the tracker: a proposal, Hindsight keeps its own.' })
  proposedDueDate!: string | null;
  @Field({ description: 'The tracker says the issue no longer exists (deleted, or no longer visible to the connection\'s token): it is not read back any more, and the item is chased as before. Unlink it, or link another issue.' })
  deletedUpstream!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the issue was found deleted upstream.' }) deletedUpstreamAt!: Date | null;
  /** Resolved to `connection` by a DataLoader. */
  connectionId!: string;
}

@ObjectType('TrackerConnectionTest', { description: 'The answer of "Test connection".' })
export class TrackerConnectionTestType {
  @Field() ok!: boolean;
  @Field({ description: 'OK, or exactly why not (unreachable, 401, project not found).' }) message!: string;
}

@InputType('TrackerConnectionUpdateInput', { description: 'Only the fields sent change; a new token also retries the pushes that failed for good.' })
export class TrackerConnectionUpdateInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'Stored encrypted, never returned.' }) token?: string | null;
  @Field(() => String, { nullable: true, description: 'Stored encrypted, never returned.' }) webhookSecret?: string | null;
  @Field(() => Boolean, { nullable: true }) autoCreate?: boolean | null;
}

@InputType('TrackerConnectionInput')
export class TrackerConnectionInput {
  @Field(() => TrackerKindEnum) kind!: TrackerKind;
  @Field() name!: string;
  @Field({ description: 'https://api.github.com or https://github.example.com/api/v3; https://gitlab.example.com; https://acme.atlassian.net or the Jira Data Center URL.' })
  baseUrl!: string;
  @Field({ description: 'Jira project key, GitHub "owner/repo", GitLab project path, Linear team key.' }) project!: string;
  @Field({ description: 'Stored encrypted, never returned.' }) token!: string;
  @Field(() => String, { nullable: true, description: 'Stored encrypted, never returned; webhooks are refused without one.' }) webhookSecret?: string | null;
  @Field(() => ID, { nullable: true, description: 'Items of this team link here; omit for any team.' }) teamId?: string | null;
  @Field(() => String, { nullable: true, description: 'Jira Cloud only: the e-mail of the API token (Basic auth, REST v3). Omit for Jira Data Center (personal access token, REST v2).' })
  email?: string | null;
  @Field(() => Boolean, { nullable: true, description: "Create issues for the team's new items automatically (needs teamId)." }) autoCreate?: boolean | null;
}
