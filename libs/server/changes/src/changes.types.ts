import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CHANGE_SOURCE_KINDS, type ChangeRole, type ChangeSource, type ChangeSourceKind, type ChangeStatus } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';

export const ChangeSourceKindEnum = Object.fromEntries(CHANGE_SOURCE_KINDS.map((k) => [k, k])) as { [K in ChangeSourceKind]: K };
registerEnumType(ChangeSourceKindEnum, { name: 'ChangeSourceKind', description: 'A sender whose webhooks are verified with a change source secret.' });

@ObjectType('Change', { description: 'A deploy (or other change) of a service in an environment, once it finished (docs/changes.md). Who made it is not kept.' })
export class ChangeType {
  @Field(() => ID) id!: string;
  @Field({ description: "The sender's name for the service, as sent: matched to a service by its name or one of its aliases (service is null until one matches)." })
  serviceName!: string;
  @Field() environment!: string;
  @Field({ description: 'The environment is production (said by the sender, else read from its name): only production changes are listed before detection.' })
  production!: boolean;
  @Field(() => String, { nullable: true, description: 'A release tag, or the commit id.' }) version!: string | null;
  @Field(() => String, { nullable: true, description: "The commit, or the sender's page for the change." }) url!: string | null;
  @Field(() => String, { description: 'succeeded, failed or cancelled.' }) status!: ChangeStatus;
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLISODateTime) finishedAt!: Date;
  @Field(() => String, { description: 'github, gitlab, argocd or generic.' }) source!: ChangeSource;
  /** Resolved to `service` by a DataLoader. */
  serviceId!: string | null;
}

@ObjectType('IncidentChange', { description: 'A change listed on an incident, and what the commander said it did.' })
export class IncidentChangeType {
  @Field(() => ChangeType) change!: ChangeType;
  @Field(() => GqlEnum.ChangeRole, { nullable: true, description: 'null: in the window, not linked.' }) role!: ChangeRole | null;
}

@ObjectType('ChangeSource', { description: 'A GitHub or GitLab sender of change webhooks; its secret verifies them and is never returned after creation.' })
export class ChangeSourceType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => ChangeSourceKindEnum) kind!: ChangeSourceKind;
  @Field({ description: "Where the sender posts its webhooks (GitHub: the webhook's Payload URL, content type application/json; GitLab: the webhook URL)." })
  webhookUrl!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'The last delivery whose signature matched (a ping counts).' }) lastReceivedAt!: Date | null;
}

@ObjectType('CreatedChangeSource', { description: 'The secret is shown this once: paste it into the sender as the webhook secret (GitHub) or secret token (GitLab).' })
export class CreatedChangeSourceType {
  @Field(() => ChangeSourceType) changeSource!: ChangeSourceType;
  @Field() secret!: string;
}

@InputType('ChangeSourceInput')
export class ChangeSourceInput {
  @Field({ description: 'What it is, e.g. "GitHub acme org" (1–100 characters).' }) name!: string;
  @Field(() => ChangeSourceKindEnum) kind!: ChangeSourceKind;
}
