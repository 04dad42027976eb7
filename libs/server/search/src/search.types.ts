import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('SearchHit', { description: 'One thing global search found: what it is, its title, where it lives in the web app, and the passage that matched.' })
export class SearchHitType {
  @Field({ description: 'INCIDENT, POSTMORTEM, ACTION_ITEM, RUNBOOK or SERVICE.' }) kind!: string;
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field({ description: "The hit's page in the web app, a path from its root (e.g. /incidents/INC-12)." }) url!: string;
  @Field(() => String, { nullable: true, description: 'The passage that matched, as plain text, or a short description.' }) snippet!: string | null;
}
