import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

@ObjectType('AuthProvider', { description: 'A way to sign in besides a password, for the sign-in page.' })
export class AuthProviderType {
  @Field({ description: 'Stable id, e.g. "oidc".' })
  id!: string;

  @Field({ description: 'The button\'s label: "Sign in with <name>".' })
  name!: string;

  @Field({ description: 'Where the browser goes to start signing in (GET; add ?returnTo=/path to come back there).' })
  loginUrl!: string;
}

export enum PasswordLoginModeGql {
  ON = 'ON',
  ADMIN_ONLY = 'ADMIN_ONLY',
  OFF = 'OFF',
}
registerEnumType(PasswordLoginModeGql, {
  name: 'PasswordLoginMode',
  description: 'Who may sign in with e-mail and password (PASSWORD_LOGIN): everyone, ADMINs only (break-glass) or nobody.',
});
