import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { groupBy, indexBy, RequestContext } from '@hindsight/server-graphql';
import { IdentityRepository, MemberRow, TeamRow, UserCard } from './identity.repository';

/** Per-request batch loaders for users and teams; any feature may use them for its fields. */
@Injectable()
export class IdentityLoaders {
  constructor(private readonly repo: IdentityRepository) {}

  user(ctx: RequestContext): DataLoader<string, UserCard | null> {
    return ctx.loaders.batch('identity.user', async (ids: readonly string[]) => indexBy(ids, await this.repo.userCardsByIds(ids), (u) => u.id), { afterOthers: true });
  }

  team(ctx: RequestContext): DataLoader<string, TeamRow | null> {
    return ctx.loaders.batch('identity.team', async (ids: readonly string[]) => indexBy(ids, await this.repo.teamsByIds(ids), (t) => t.id));
  }

  teamsOfUser(ctx: RequestContext): DataLoader<string, TeamRow[]> {
    return ctx.loaders.batch('identity.teamsOfUser', async (ids: readonly string[]) => groupBy(ids, await this.repo.teamsOfUsers(ids), (t) => t.userId));
  }

  /** Members as the User type shows them (the teams page reads 1,000 of these). */
  membersOfTeam(ctx: RequestContext, withStatus: boolean): DataLoader<string, MemberRow[]> {
    return ctx.loaders.batch(`identity.membersOfTeam.${withStatus}`, async (ids: readonly string[]) => groupBy(ids, await this.repo.membersOfTeams(ids, withStatus), (u) => u.teamId));
  }
}
