import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AllowedBeforePasswordChange, Authenticated, CurrentActor, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { SessionLifetimesInput, SessionLifetimesType, SessionType } from './identity.types';
import { SessionsService } from './sessions.service';

@Resolver(() => SessionType)
export class SessionsResolver {
  constructor(private readonly sessions: SessionsService) {}

  @Authenticated()
  @AllowedBeforePasswordChange()
  @Query(() => [SessionType], { description: "The signed-in person's live sessions, most recently used first." })
  async mySessions(@CurrentActor() actor: SessionActor): Promise<SessionType[]> {
    const rows = await this.sessions.mine(actor);
    return rows.map((s) => ({ ...s, current: s.id === actor.sessionId }));
  }

  @Authenticated()
  @AllowedBeforePasswordChange()
  @Mutation(() => Boolean, { description: 'Ends one of your sessions (e.g. a lost laptop); its next request is UNAUTHENTICATED.' })
  endSession(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.sessions.endOwn(actor, id);
  }

  @Authenticated()
  @AllowedBeforePasswordChange()
  @Mutation(() => Int, { description: 'Ends all your sessions, or all but this one (keepCurrent, the default); returns how many ended.' })
  signOutEverywhere(@CurrentActor() actor: SessionActor, @Args('keepCurrent', { type: () => Boolean, defaultValue: true }) keepCurrent: boolean): Promise<number> {
    return this.sessions.signOutEverywhere(actor, keepCurrent);
  }

  @RequireRole('ADMIN')
  @Mutation(() => Int, { description: "Ends every session of a user (their API tokens stay); returns how many ended." })
  endUserSessions(@CurrentActor() actor: SessionActor, @Args('userId', { type: () => ID }) userId: string): Promise<number> {
    return this.sessions.endUserSessions(actor, userId);
  }

  @Authenticated()
  @Query(() => SessionLifetimesType, { description: 'Idle and absolute session lifetimes in force.' })
  sessionLifetimes(): Promise<SessionLifetimesType> {
    return this.sessions.lifetimes();
  }

  @RequireRole('ADMIN')
  @Mutation(() => SessionLifetimesType)
  updateSessionLifetimes(@CurrentActor() actor: SessionActor, @Args('input') input: SessionLifetimesInput): Promise<SessionLifetimesType> {
    return this.sessions.updateLifetimes(actor, { idleTimeoutMinutes: input.idleTimeoutMinutes ?? undefined, absoluteLifetimeHours: input.absoluteLifetimeHours ?? undefined });
  }
}
