import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { ApiTokenScope, Role } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';

@ObjectType('User')
export class UserType {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() name!: string;
  @Field(() => GqlEnum.Role) role!: Role;
  @Field() active!: boolean;
  @Field({ description: 'An ADMIN reset the password: until the person chooses a new one (changePassword), other operations are refused.' }) mustChangePassword!: boolean;
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

@ObjectType('ApiToken', { description: "An integration credential; it acts as its user, with the user's role, within its scope. The secret is shown once, on creation." })
export class ApiTokenType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'The first characters of the token, to recognise it' }) prefix!: string;
  @Field(() => GqlEnum.ApiTokenScope, { description: 'READ_ONLY: reads only; READ_WRITE: whatever its user may do; SCIM: SCIM provisioning (/scim/v2) only.' }) scope!: ApiTokenScope;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'After this the token is refused like a revoked one; null: it does not expire.' }) expiresAt!: Date | null;
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

@ObjectType('Session', { description: 'A sign-in (a browser or device) of the signed-in person, live until signed out, idle too long or too old.' })
export class SessionType {
  @Field(() => ID) id!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { description: 'Updated at most once a minute.' }) lastUsedAt!: Date;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field(() => String, { nullable: true, description: 'The address the sign-in came from.' }) clientIp!: string | null;
  @Field({ description: 'True for the session making this request.' }) current!: boolean;
}

@ObjectType('SessionLifetimes', { description: 'How long a sign-in lasts; shortening applies to sessions already open.' })
export class SessionLifetimesType {
  @Field(() => Int, { description: 'Signed out after this many minutes without a request.' }) idleTimeoutMinutes!: number;
  @Field(() => Int, { description: 'Signed out this many hours after signing in, whatever the use.' }) absoluteLifetimeHours!: number;
}

@InputType('SessionLifetimesInput', { description: 'Only what is sent changes.' })
export class SessionLifetimesInput {
  @Field(() => Int, { nullable: true }) idleTimeoutMinutes?: number | null;
  @Field(() => Int, { nullable: true }) absoluteLifetimeHours?: number | null;
}

@InputType('UpdateUserInput', { description: 'Only what is sent changes.' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
}
