import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { hasAtLeast } from '@hindsight/domain';
import { AppError, forbidden, unauthenticated } from '@hindsight/server-common';
import { Access, ACCESS_KEY, PASSWORD_CHANGE_EXEMPT_KEY, PASSWORD_CHANGE_REQUIRED } from './access.decorators';
import type { RequestContext } from './request-context';

/**
 * Deny by default: an operation without @Public, @Authenticated or @RequireRole is refused,
 * so forgetting a decorator fails closed (the lint rule catches it before it ships).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType<string>() !== 'graphql') return true; // REST controllers use their own guard
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (!access) throw forbidden(`${ctx.getClass().name}.${ctx.getHandler().name} declares no access rule, so it is refused.`);
    const { actor, actorError } = GqlExecutionContext.create(ctx).getContext<RequestContext>();
    // We could not tell who is calling (e.g. the database is down): an internal error, masked
    // by the error formatter, rather than a misleading UNAUTHENTICATED or `me: null`.
    if (actorError !== undefined) throw actorError;
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
