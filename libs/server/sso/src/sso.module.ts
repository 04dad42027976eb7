import { Module } from '@nestjs/common';
import { IdentityModule } from '@hindsight/server-identity';
import { OidcController } from './oidc.controller';
import { OidcProviderClient } from './oidc-provider.client';
import { SsoRepository } from './sso.repository';
import { SsoResolver } from './sso.resolver';
import { SsoService } from './sso.service';

/** Single sign-on through an OpenID Connect provider (docs/sso.md). */
@Module({
  imports: [IdentityModule],
  controllers: [OidcController],
  providers: [SsoRepository, OidcProviderClient, SsoService, SsoResolver],
})
export class SsoModule {}

export const SSO_RESOLVERS = [SsoResolver];
