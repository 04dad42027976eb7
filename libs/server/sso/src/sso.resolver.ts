import { Inject } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import { CONFIG, type ResolvedConfig } from '@hindsight/server-config';
import { Public } from '@hindsight/server-graphql';
import { AuthProviderType, PasswordLoginModeGql } from './sso.types';

const MODES = { on: PasswordLoginModeGql.ON, 'admin-only': PasswordLoginModeGql.ADMIN_ONLY, off: PasswordLoginModeGql.OFF } as const;

/** What the sign-in page offers, before anyone is signed in. */
@Resolver()
export class SsoResolver {
  constructor(@Inject(CONFIG) private readonly config: ResolvedConfig) {}

  @Public()
  @Query(() => [AuthProviderType], { description: 'Ways to sign in besides a password (the configured OpenID Connect provider).' })
  authProviders(): AuthProviderType[] {
    const oidc = this.config.oidc;
    return oidc ? [{ id: 'oidc', name: oidc.name, loginUrl: `${this.config.publicUrl}/auth/oidc/login` }] : [];
  }

  @Public()
  @Query(() => PasswordLoginModeGql, { description: 'Whether the sign-in page offers the password form, to everyone or to ADMINs only.' })
  passwordLogin(): PasswordLoginModeGql {
    return MODES[this.config.passwordLogin];
  }
}
