import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Role } from '@hindsight/domain';
import type { RequestContext, SessionActor } from './request-context';

export const ACCESS_KEY = 'hindsight:access';

export type Access = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'role'; minimum: Role };

/** Anyone, signed in or not (sign-in itself). */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies Access);
/** Any signed-in user, whatever the role (reads; finer rules live in the services). */
export const Authenticated = () => SetMetadata(ACCESS_KEY, { kind: 'authenticated' } satisfies Access);
/** Signed in with at least this role (VIEWER < COMMANDER <= MANAGER < ADMIN). */
export const RequireRole = (minimum: Role) => SetMetadata(ACCESS_KEY, { kind: 'role', minimum } satisfies Access);

export const PASSWORD_CHANGE_EXEMPT_KEY = 'hindsight:password-change-exempt';
/**
 * Still allowed to a person whose password an ADMIN reset and who has not chosen a new one
 * yet (changePassword itself, logout, their sessions); everything else is refused until then.
 */
export const AllowedBeforePasswordChange = () => SetMetadata(PASSWORD_CHANGE_EXEMPT_KEY, true);
/** Why a person whose password an ADMIN reset is refused, in GraphQL (extensions.reason) and REST alike. */
export const PASSWORD_CHANGE_REQUIRED = {
  reason: 'PASSWORD_CHANGE_REQUIRED',
  message: 'An administrator reset your password: choose a new one (changePassword) before doing anything else.',
} as const;

/** The signed-in actor; only on operations the guard already required a sign-in for. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): SessionActor => {
  const context = GqlExecutionContext.create(ctx).getContext<RequestContext>();
  if (!context.actor) throw new Error('CurrentActor used on an operation that does not require sign-in');
  return context.actor;
});

export const GqlContext = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): RequestContext => GqlExecutionContext.create(ctx).getContext<RequestContext>(),
);
