import { Module } from '@nestjs/common';
import { ACCESS_REFUSAL_LOG } from '@hindsight/server-graphql';
import { AccessRefusals } from './access-refusals.service';
import { ActorCache } from './actor-cache.service';
import { ApiTokensService } from './api-tokens.service';
import { EmailConflicts } from './email-conflicts.service';
import { AuthService } from './auth.service';
import { IdentityHousekeeping } from './identity-housekeeping.service';
import { IdentityLoaders } from './identity.loaders';
import { IdentityRepository } from './identity.repository';
import { OpenItems } from './open-items.port';
import { ApiTokensResolver, TeamsResolver, UsersResolver } from './identity.resolver';
import { PasswordHasher } from './password.hasher';
import { SessionTokenService } from './session-token.service';
import { SessionsRepository } from './sessions.repository';
import { SessionsResolver } from './sessions.resolver';
import { SessionsService } from './sessions.service';
import { ScimController } from './scim.controller';
import { ScimRepository } from './scim.repository';
import { ScimService } from './scim.service';
import { TeamsService } from './teams.service';
import { UsersService } from './users.service';

@Module({
  providers: [
    ActorCache, AccessRefusals, { provide: ACCESS_REFUSAL_LOG, useExisting: AccessRefusals }, EmailConflicts,
    IdentityRepository, OpenItems, PasswordHasher, SessionTokenService, AuthService, UsersService, TeamsService, ApiTokensService,
    IdentityLoaders, UsersResolver, TeamsResolver, ApiTokensResolver,
    SessionsRepository, SessionsService, SessionsResolver, ScimRepository, ScimService,
  ],
  controllers: [ScimController],
  exports: [AuthService, ActorCache, IdentityLoaders, IdentityRepository, OpenItems, UsersService, TeamsService, PasswordHasher, EmailConflicts, ACCESS_REFUSAL_LOG],
})
export class IdentityModule {}

/** The worker's share of identity (scheduled clean-ups), without GraphQL or sign-in. */
@Module({
  providers: [IdentityRepository, SessionsRepository, IdentityHousekeeping],
  exports: [IdentityHousekeeping],
})
export class IdentityHousekeepingModule {}

export const IDENTITY_RESOLVERS = [UsersResolver, TeamsResolver, ApiTokensResolver, SessionsResolver];
