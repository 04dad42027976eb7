import { Args, Context, GraphQLISODateTime, ID, Info, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { ApiTokenScope, Role } from '@hindsight/domain';
import { AllowedBeforePasswordChange, Authenticated, Cost, CurrentActor, GqlEnum, preload, Public, RequestContext, RequireRole, selectedFields, SessionActor, settled } from '@hindsight/server-graphql';
import { AuthService } from './auth.service';
import { ApiTokensService } from './api-tokens.service';
import { IdentityLoaders } from './identity.loaders';
import { ApiTokenType, AuthPayloadType, CreatedApiTokenType, CreateTeamInput, CreateUserInput, TeamType, UpdateUserInput, UserType } from './identity.types';
import { TeamsService } from './teams.service';
import { UsersService } from './users.service';

@Resolver(() => UserType)
export class UsersResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly usersService: UsersService,
    private readonly loaders: IdentityLoaders,
  ) {}

  @Public()
  @Mutation(() => AuthPayloadType, {
    description:
      'Signs in with the e-mail in any spelling (it is normalised). Failed attempts are limited per client address, per account and client address, and with a back-off per account (RATE_LIMITED with retryAfterSeconds); a password that no longer meets the rule for new ones sets mustChangePassword.',
  })
  // argon2 on purpose: one sign-in per operation besides (TOO_MANY_SIGN_INS).
  @Cost(100)
  login(@Args('email') email: string, @Args('password') password: string, @Context() ctx: RequestContext): Promise<AuthPayloadType> {
    return this.auth.login(email, password, ctx.clientIp, ctx.userAgent ?? null);
  }

  @Public()
  @Query(() => UserType, { nullable: true, description: 'The signed-in user, or null when not signed in.' })
  me(@Context() ctx: RequestContext): Promise<UserType | null> {
    return ctx.actor ? this.loaders.user(ctx).load(ctx.actor.id) : Promise.resolve(null);
  }

  @Authenticated()
  @Query(() => [UserType])
  users(): Promise<UserType[]> {
    return this.usersService.list();
  }

  @RequireRole('ADMIN')
  @Mutation(() => UserType)
  createUser(@CurrentActor() actor: SessionActor, @Args('input') input: CreateUserInput): Promise<UserType> {
    return this.usersService.create(actor, input);
  }

  @RequireRole('ADMIN')
  @Mutation(() => UserType, {
    description: 'Deactivates (active: false) or reactivates a user. Deactivation ends their sessions and revokes their API tokens at once; their open items become unassigned (remembering who had them) and go to the team manager. Nothing is deleted; reactivation restores no session.',
  })
  setUserActive(@CurrentActor() actor: SessionActor, @Args('userId', { type: () => ID }) userId: string, @Args('active') active: boolean): Promise<UserType> {
    return this.usersService.setActive(actor, userId, active);
  }

  @Authenticated()
  @AllowedBeforePasswordChange()
  @Mutation(() => Boolean, { description: 'The signed-in person changes their password (the current one is required); their other sessions end, this one stays.' })
  @Cost(100)
  changePassword(@CurrentActor() actor: SessionActor, @Args('currentPassword') currentPassword: string, @Args('newPassword') newPassword: string): Promise<boolean> {
    return this.usersService.changePassword(actor, currentPassword, newPassword);
  }

  @Authenticated()
  @AllowedBeforePasswordChange()
  @Mutation(() => Boolean, { description: 'Ends the calling session: the next request with its token is UNAUTHENTICATED.' })
  logout(@CurrentActor() actor: SessionActor): Promise<boolean> {
    return this.usersService.logout(actor);
  }

  @RequireRole('ADMIN')
  @Mutation(() => UserType, { description: "Changes a user's role; it applies from their next request. The last active ADMIN cannot be demoted (CONFLICT)." })
  setUserRole(@CurrentActor() actor: SessionActor, @Args('userId', { type: () => ID }) userId: string, @Args('role', { type: () => GqlEnum.Role }) role: Role): Promise<UserType> {
    return this.usersService.setRole(actor, userId, role);
  }

  @RequireRole('ADMIN')
  @Mutation(() => UserType, { description: "Changes a person's name and/or e-mail (stored normalised — NFKC, lower case, IDNA domain — and unique in that form: BAD_USER_INPUT on input.email)." })
  updateUser(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateUserInput): Promise<UserType> {
    return this.usersService.updateProfile(actor, id, { name: input.name ?? undefined, email: input.email ?? undefined });
  }

  @RequireRole('ADMIN')
  @Mutation(() => UserType, { description: 'Sets a temporary password and ends all their sessions; they must choose a new one at their next sign-in before anything else.' })
  resetUserPassword(@CurrentActor() actor: SessionActor, @Args('userId', { type: () => ID }) userId: string, @Args('temporaryPassword') temporaryPassword: string): Promise<UserType> {
    return this.usersService.resetPassword(actor, userId, temporaryPassword);
  }

  @Authenticated()
  @ResolveField(() => [TeamType])
  teams(user: UserType, _args: unknown, ctx: RequestContext): Promise<TeamType[]> {
    return this.loaders.teamsOfUser(ctx).load(user.id);
  }
}

@Resolver(() => TeamType)
export class TeamsResolver {
  constructor(
    private readonly teamsService: TeamsService,
    private readonly loaders: IdentityLoaders,
  ) {}

  @Authenticated()
  @Query(() => [TeamType])
  async teams(@Context() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<TeamType[]> {
    const teams = await this.teamsService.list();
    const fields = selectedFields(info);
    await Promise.all([
      fields.has('manager') && preload(this.loaders.user(ctx), teams, (t) => t.managerId),
      fields.has('members') && preload(this.membersLoader(ctx, selectedFields(info, 'members')), teams, (t) => t.id),
    ]);
    return teams;
  }

  @RequireRole('ADMIN')
  @Mutation(() => TeamType)
  createTeam(@CurrentActor() actor: SessionActor, @Args('input') input: CreateTeamInput): Promise<TeamType> {
    return this.teamsService.create(actor, input);
  }

  @RequireRole('ADMIN')
  @Mutation(() => TeamType)
  addTeamMember(@CurrentActor() actor: SessionActor, @Args('teamId', { type: () => ID }) teamId: string, @Args('userId', { type: () => ID }) userId: string): Promise<TeamType> {
    return this.teamsService.addMember(actor, teamId, userId);
  }

  @RequireRole('ADMIN')
  @Mutation(() => TeamType, { description: 'Renames a team and/or changes its manager (null removes the manager).' })
  updateTeam(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('name', { type: () => String, nullable: true }) name?: string | null,
    @Args('managerId', { type: () => ID, nullable: true }) managerId?: string | null,
  ): Promise<TeamType> {
    return this.teamsService.update(actor, id, { name, managerId });
  }

  @RequireRole('ADMIN')
  @Mutation(() => TeamType, { description: "Takes a member off a team; their open items of the team become unassigned and are chased to the team's manager." })
  removeTeamMember(@CurrentActor() actor: SessionActor, @Args('teamId', { type: () => ID }) teamId: string, @Args('userId', { type: () => ID }) userId: string): Promise<TeamType> {
    return this.teamsService.removeMember(actor, teamId, userId);
  }

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true })
  manager(team: TeamType, _args: unknown, ctx: RequestContext): UserType | null | Promise<UserType | null> {
    if (!team.managerId) return null;
    const users = this.loaders.user(ctx);
    return settled(users, team.managerId) ?? users.load(team.managerId);
  }

  @Authenticated()
  @ResolveField(() => [UserType])
  members(team: TeamType, _args: unknown, ctx: RequestContext, info: GraphQLResolveInfo): UserType[] | Promise<UserType[]> {
    const members = this.membersLoader(ctx, selectedFields(info));
    return (settled(members, team.id) ?? members.load(team.id)) as UserType[] | Promise<UserType[]>;
  }

  /** A team page asks for names and roles: the sign-in status columns are read only when asked for. */
  private membersLoader(ctx: RequestContext, fields: Set<string>) {
    return this.loaders.membersOfTeam(ctx, fields.has('active') || fields.has('mustChangePassword'));
  }
}

@Resolver(() => ApiTokenType)
export class ApiTokensResolver {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly loaders: IdentityLoaders,
  ) {}

  @Authenticated()
  @Query(() => [ApiTokenType], { description: 'ADMIN: every API token; anyone else: their own.' })
  apiTokens(@CurrentActor() actor: SessionActor): Promise<ApiTokenType[]> {
    return this.tokens.list(actor);
  }

  @Authenticated()
  @Mutation(() => CreatedApiTokenType, {
    description:
      'Creates an API token acting as userId (yourself when omitted; only an ADMIN names someone else), READ_WRITE unless scope says otherwise (SCIM: ADMIN only, acting as an ADMIN), expiring at expiresAt if given. From a signed-in session only.',
  })
  createApiToken(
    @CurrentActor() actor: SessionActor,
    @Args('name') name: string,
    @Args('userId', { type: () => ID, nullable: true }) userId?: string | null,
    @Args('scope', { type: () => GqlEnum.ApiTokenScope, nullable: true }) scope?: ApiTokenScope | null,
    @Args('expiresAt', { type: () => GraphQLISODateTime, nullable: true }) expiresAt?: Date | null,
  ): Promise<CreatedApiTokenType> {
    return this.tokens.create(actor, { name, userId, scope, expiresAt });
  }

  @Authenticated()
  @Mutation(() => ApiTokenType, { description: 'Revokes an API token at once: ADMIN any, anyone else their own.' })
  revokeApiToken(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<ApiTokenType> {
    return this.tokens.revoke(actor, id);
  }

  @Authenticated()
  @ResolveField(() => UserType, { description: 'Whom the token acts as (only its owner and ADMINs see a token at all).' })
  async user(token: ApiTokenType, _args: unknown, ctx: RequestContext): Promise<UserType> {
    const user = await this.loaders.user(ctx).load(token.userId);
    if (!user) throw new Error(`API token ${token.id} belongs to a missing user`);
    return user;
  }
}
