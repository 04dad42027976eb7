import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from '@nestjs/graphql';
import type { Role } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';

@ObjectType('User')
export class UserType {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() name!: string;
  @Field(() => GqlEnum.Role) role!: Role;
  @Field() active!: boolean;
}

@ObjectType('Team')
export class TeamType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() slug!: string;
  managerId!: string | null;
}

@ObjectType('AuthPayload')
export class AuthPayloadType {
  @Field() token!: string;
  @Field(() => UserType) user!: UserType;
}

@ObjectType('ApiToken', { description: 'An integration credential; it acts as its user. The secret is shown once, on creation.' })
export class ApiTokenType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'The first characters of the token, to recognise it' }) prefix!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
  userId!: string;
}

@ObjectType('CreatedApiToken')
export class CreatedApiTokenType {
  @Field({ description: 'The secret: store it now, it is never shown again' }) token!: string;
  @Field(() => ApiTokenType) apiToken!: ApiTokenType;
}

@InputType('CreateUserInput')
export class CreateUserInput {
  @Field() email!: string;
  @Field() name!: string;
  @Field(() => GqlEnum.Role) role!: Role;
  @Field() password!: string;
}

@InputType('CreateTeamInput')
export class CreateTeamInput {
  @Field() name!: string;
  @Field(() => ID, { nullable: true }) managerId?: string | null;
  @Field(() => [ID], { nullable: true }) memberIds?: string[] | null;
}
