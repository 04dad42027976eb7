import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { apiTokenRefusal, hasAtLeast } from '@hindsight/domain';
import { AppError, forbidden, unauthenticated } from '@hindsight/server-common';
import { Access, ACCESS_KEY, PASSWORD_CHANGE_EXEMPT_KEY, PASSWORD_CHANGE_REQUIRED } from './access.decorators';
import type { RequestContext, SessionActor } from './request-context';

/** Where refusals of API tokens are recorded (the identity library writes them to the audit log). */
export interface AccessRefusalLog {
  apiTokenRefused(actor: SessionActor, reason: string, where: string): Promise<void>;
}
export const ACCESS_REFUSAL_LOG = Symbol('ACCESS_REFUSAL_LOG');

/**
 * Deny by default: an operation without @Public, @Authenticated or @RequireRole is refused,
 * so forgetting a decorator fails closed (the lint rule catches it before it ships).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(ACCESS_REFUSAL_LOG) private readonly refusals?: AccessRefusalLog,
  ) {}

  canActivate(ctx: ExecutionContext): boolean | Promise<boolean> {
    if (ctx.getType<string>() !== 'graphql') return true; // REST controllers use their own guard
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (!access) throw forbidden(`${ctx.getClass().name}.${ctx.getHandler().name} declares no access rule, so it is refused.`);
    const gql = GqlExecutionContext.create(ctx);
    const { actor, actorError } = gql.getContext<RequestContext>();
    // We could not tell who is calling (e.g. the database is down): an internal error, masked
    // by the error formatter, rather than a misleading UNAUTHENTICATED or `me: null`.
    if (actorError !== undefined) throw actorError;
    // A token's scope binds every operation, public ones included (a SCIM token reads no `me`).
    if (actor?.apiToken) {
      const info = gql.getInfo<GraphQLResolveInfo>();
      const refusal = apiTokenRefusal(actor.apiToken.scope, { surface: 'graphql', write: info.operation.operation === 'mutation' });
      if (refusal) {
        const refused = new AppError(refusal.message, 'FORBIDDEN', { reason: refusal.reason });
        const recorded = this.refusals?.apiTokenRefused(actor, refusal.reason, `graphql ${info.operation.operation} ${info.fieldName}`) ?? Promise.resolve();
        return recorded.then(() => Promise.reject(refused));
      }
    }
    if (access.kind === 'public') return true;
    if (!actor) throw unauthenticated();
    if (actor.mustChangePassword && !this.reflector.getAllAndOverride<boolean | undefined>(PASSWORD_CHANGE_EXEMPT_KEY, [ctx.getHandler(), ctx.getClass()])) {
      throw new AppError(PASSWORD_CHANGE_REQUIRED.message, 'FORBIDDEN', { reason: PASSWORD_CHANGE_REQUIRED.reason });
    }
    if (access.kind === 'role' && !hasAtLeast(actor.role, access.minimum)) {
      throw forbidden(`This needs the ${access.minimum} role or above; you are ${actor.role}.`);
    }
    return true;
  }
}
